// Whose figures a console screen shows (this station at first): loaded once the screen is mounted, and again at each change of scope.
import { onMounted, ref, watch, type Ref } from 'vue';
import type { StationScopeInput } from '../../../shared/supervisor-contract';

export function useStationScope(load: () => void): Ref<StationScopeInput> {
  const station = ref<StationScopeInput>('this');
  onMounted(load);
  watch(station, load);
  return station;
}
