; Inno Setup 6 script: the Windows installer of MailWizard, from the PyInstaller bundle.
; packaging\build-windows.ps1 builds the bundle and then runs
;   ISCC.exe /DAppVersion=0.1.0 /DSourceDir=<bundle> /DOutputDir=<dist> /DIconFile=<ico> mailwizard.iss
; It installs for the current user without administrator rights (the setup offers an
; all-users installation too), adds a Start-menu entry, an optional desktop icon and an
; uninstaller (Settings > Apps, or the Start-menu entry "Uninstall MailWizard").

#ifndef AppVersion
  #error Pass /DAppVersion=X.Y.Z
#endif
#ifndef SourceDir
  #define SourceDir "..\..\build\pyinstaller\dist\mailwizard"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\icons\mailwizard.ico"
#endif

[Setup]
; The AppId identifies the program for upgrades and the uninstaller: never change it.
AppId={{6F1C2A57-3B8E-4E1B-9C55-0D7A4B2E9A61}
AppName=MailWizard
AppVersion={#AppVersion}
AppVerName=MailWizard {#AppVersion}
AppPublisher=The MailWizard developers
AppCopyright=MailWizard developers, Mozilla Public License 2.0
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\MailWizard
DefaultGroupName=MailWizard
DisableProgramGroupPage=yes
DisableDirPage=auto
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=MailWizard-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\mailwizard-gui.exe
UninstallDisplayName=MailWizard
LicenseFile=..\..\LICENSE
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "ru"; MessagesFile: "compiler:Languages\Russian.isl"

[CustomMessages]
en.AppComment=Set up a mail account from just an address and a password
ru.AppComment=Настройка почтового ящика по одному адресу и паролю

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\MailWizard"; Filename: "{app}\mailwizard-gui.exe"; Comment: "{cm:AppComment}"
Name: "{group}\{cm:UninstallProgram,MailWizard}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\MailWizard"; Filename: "{app}\mailwizard-gui.exe"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\mailwizard-gui.exe"; Description: "{cm:LaunchProgram,MailWizard}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Python may leave compiled files beside the bundle; the folder must go completely.
Type: filesandordirs; Name: "{app}\_internal"
