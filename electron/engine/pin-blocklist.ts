// The one list of PINs refused as too common, with where it comes from.
/**
 * The 20 most frequent 4-digit PINs in Nick Berry's analysis of 3.4 million leaked PINs
 * ("PIN number analysis", DataGenetics, 2012, http://www.datagenetics.com/blog/september32012/),
 * which together cover about 27% of all PINs chosen. EU Login publishes no forbidden-PIN list
 * (PRODUCT.md assumptions), so this is the kiosk's own.
 */
export const COMMON_PINS: readonly string[] = [
  '1234', '1111', '0000', '1212', '7777', '1004', '2000', '4444', '2222', '6969',
  '9999', '3333', '5555', '6666', '1122', '1313', '8888', '4321', '2001', '1010',
];
