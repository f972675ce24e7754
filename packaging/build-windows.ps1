# Builds MailWizard for Windows (x64), on Windows:
#   dist\MailWizard-<version>-windows-x64-setup.exe   Inno Setup installer (Start menu, uninstaller)
#   dist\mailwizard-<version>-windows-x64.zip         the same program as a folder to unpack
# Usage (PowerShell 5.1 or 7, from any folder):  powershell -ExecutionPolicy Bypass -File packaging\build-windows.ps1
# Needs: Python 3.11+ (python.org or the Store; `py -3.11` or `python` on PATH) and Inno Setup 6
# (`winget install JRSoftware.InnoSetup` or `choco install innosetup`). See packaging\README.md.
# Environment: BUILD_PYTHON = a Python that already has the dependencies and PyInstaller
# (nothing is downloaded then); ISCC = the path of ISCC.exe if it is not in a usual place.
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$Root = Resolve-Path (Join-Path $PSScriptRoot "..")
Set-Location $Root
$Build = Join-Path $Root "build"
$Dist = Join-Path $Root "dist"
New-Item -ItemType Directory -Force -Path $Build, $Dist | Out-Null

# Runs a program and stops the build when it fails (a simple function: every argument,
# "-m" included, reaches the program unchanged).
function Invoke-Checked {
    $exe, $rest = $args
    & $exe @rest
    if ($LASTEXITCODE -ne 0) { throw "$exe $rest failed with exit code $LASTEXITCODE" }
}

# --- 1. A Python with the dependencies and PyInstaller -------------------------------------
if ($env:BUILD_PYTHON) {
    $Py = $env:BUILD_PYTHON
} else {
    $Py = Join-Path $Build "venv\Scripts\python.exe"
    if (-not (Test-Path $Py)) {
        $venv = Join-Path $Build "venv"
        if (Get-Command py -ErrorAction SilentlyContinue) { Invoke-Checked py -3 -m venv $venv }
        else { Invoke-Checked python -m venv $venv }
    }
    $req = Join-Path $Build "requirements.txt"
    Invoke-Checked $Py -c "import sys, tomllib; d = tomllib.load(open('pyproject.toml', 'rb')); open(sys.argv[1], 'w').write('\n'.join(d['project']['dependencies'] + ['pyinstaller>=6.10,<7']) + '\n')" $req
    Invoke-Checked $Py -m pip install -q --disable-pip-version-check -r $req
}
$Version = (& $Py -c "import sys; sys.path.insert(0, '.'); import wizard; print(wizard.__version__)").Trim()
Write-Host "MailWizard $Version with $Py"

# --- 2. Translations, icon, bundle ----------------------------------------------------------
Invoke-Checked $Py tools\build_translations.py
$Ico = Join-Path $Build "icons\mailwizard.ico"
Invoke-Checked $Py packaging\make_icons.py ico $Ico
$PyiDir = Join-Path $Build "pyinstaller"
if (Test-Path $PyiDir) { Remove-Item -Recurse -Force $PyiDir }
Invoke-Checked $Py -m PyInstaller --noconfirm --clean --log-level WARN `
    --distpath (Join-Path $PyiDir "dist") --workpath (Join-Path $PyiDir "work") packaging\mailwizard.spec
$Bundle = Join-Path $PyiDir "dist\mailwizard"
$size = (Get-ChildItem -Recurse -File $Bundle | Measure-Object -Sum Length).Sum / 1MB
Write-Host ("bundle: {0:N0} MB" -f $size)

# --- 3. Smoke test of the frozen program ----------------------------------------------------
$exe = Join-Path $Bundle "mailwizard.exe"
Invoke-Checked $exe --version
$json = & $exe detect alice@yandex.ru --offline --json | Out-String
if ((ConvertFrom-Json $json).source -ne "builtin") { throw "detect --offline did not use the bundled table" }
$env:QT_QPA_PLATFORM = "offscreen"; $env:MAILWIZARD_SMOKE_TEST = "1"
$smoke = & $exe --lang en | Out-String
Remove-Item Env:QT_QPA_PLATFORM, Env:MAILWIZARD_SMOKE_TEST
if ($smoke -notmatch "mailwizard-smoke: page=0 visible=True") { throw "the frozen GUI did not show its first page: $smoke" }
if (-not (Test-Path (Join-Path $Bundle "mailwizard-gui.exe"))) { throw "mailwizard-gui.exe is missing" }

# --- 4. The zip and the installer ------------------------------------------------------------
$Zip = Join-Path $Dist "mailwizard-$Version-windows-x64.zip"
if (Test-Path $Zip) { Remove-Item $Zip }
Compress-Archive -Path $Bundle -DestinationPath $Zip
$Iscc = $env:ISCC
if (-not $Iscc) {
    $Iscc = @(
        (Get-Command ISCC.exe -ErrorAction SilentlyContinue | ForEach-Object Source),
        "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
        "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
        "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
    ) | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
}
if (-not $Iscc) { throw "Inno Setup 6 not found: winget install JRSoftware.InnoSetup (or set ISCC)" }
Invoke-Checked $Iscc /Q "/DAppVersion=$Version" "/DSourceDir=$Bundle" "/DOutputDir=$Dist" "/DIconFile=$Ico" `
    packaging\windows\mailwizard.iss
Get-ChildItem $Dist | Where-Object { $_.Name -like "*windows*" } | ForEach-Object {
    Write-Host ("{0}: {1:N0} MB" -f $_.Name, ($_.Length / 1MB))
}
