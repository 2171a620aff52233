# Applies shell-launcher.xml (beside this script) through the MDM WMI bridge, as Microsoft's Shell Launcher quickstart does.
# Run as SYSTEM, e.g. `psexec.exe -i -s powershell.exe -File apply-shell-launcher.ps1`, after installing the kiosk per machine.
$ErrorActionPreference = 'Stop'
$configuration = Get-Content -Raw -Path (Join-Path $PSScriptRoot 'shell-launcher.xml')
$assignedAccess = Get-CimInstance -Namespace 'root\cimv2\mdm\dmmap' -ClassName 'MDM_AssignedAccess'
$assignedAccess.ShellLauncher = [System.Net.WebUtility]::HtmlEncode($configuration)
Set-CimInstance -CimInstance $assignedAccess | Out-Null
Write-Output 'Shell Launcher configured: restart the PC; it signs in to the Kiosk account and starts Enrolment Kiosk.'
