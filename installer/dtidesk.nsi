; DTI Desk — Windows installer (NSIS 3, Modern UI 2). Built by installer/build-windows.sh:
;
;   makensis -DVERSION=0.1.0 -DSRCDIR=<onedir dtidesk folder> -DOUTFILE=<setup.exe> installer/dtidesk.nsi
;
; Per user, no administrator rights: the program goes to %LOCALAPPDATA%\Programs\DTI Desk, the
; shortcuts to the user's Start menu (and, if ticked, desktop), the uninstaller is registered under
; HKCU. Installer pages in Vietnamese or English. Uninstalling removes the program only: the
; user's workspaces (wherever they are), settings (%LOCALAPPDATA%\SVHTT\DTI Desk) and logs
; (%APPDATA%\SVHTT\DTI Desk) stay.
; Silent install: DTIDesk-Setup-<version>.exe /S   (optionally /D=<folder>, last on the line)

; 64-bit installer (the program is 64-bit only; Wine 8 without wine32 runs only 64-bit programs)
Target amd64-unicode
SetCompressor /SOLID lzma
SetCompressorDictSize 64

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef SRCDIR
  !error "pass -DSRCDIR=<the PyInstaller onedir folder dtidesk>"
!endif
!ifndef OUTFILE
  !define OUTFILE "DTIDesk-Setup-${VERSION}.exe"
!endif

!define APPNAME "DTI Desk"
!define PUBLISHER "Văn phòng Sở Văn hóa và Thể thao TP. Hồ Chí Minh"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\DTIDesk"
!define GUIEXE "dtidesk-gui.exe"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"

Name "${APPNAME}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APPNAME}"
InstallDirRegKey HKCU "${UNINSTKEY}" "InstallLocation"
ShowInstDetails nevershow
ShowUninstDetails nevershow
BrandingText "${APPNAME} ${VERSION}"

; the installer's own version resource (X.Y.Z.W)
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "${APPNAME} ${VERSION} — cài đặt / setup"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "LegalCopyright" "${APPNAME}"

!define MUI_ICON "dtidesk.ico"
!define MUI_UNICON "dtidesk.ico"
!define MUI_ABORTWARNING
!define MUI_LANGDLL_ALLLANGUAGES
!define MUI_LANGDLL_REGISTRY_ROOT HKCU
!define MUI_LANGDLL_REGISTRY_KEY "${UNINSTKEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUIEXE}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; the first language is the default when Windows' language is neither
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

LangString SecProgram ${LANG_VIETNAMESE} "Chương trình DTI Desk (bắt buộc)"
LangString SecProgram ${LANG_ENGLISH} "DTI Desk program (required)"
LangString SecDesktop ${LANG_VIETNAMESE} "Lối tắt trên màn hình nền"
LangString SecDesktop ${LANG_ENGLISH} "Desktop shortcut"
LangString Running ${LANG_VIETNAMESE} "DTI Desk đang chạy. Hãy đóng chương trình rồi bấm Thử lại."
LangString Running ${LANG_ENGLISH} "DTI Desk is running. Close it, then click Retry."
LangString KeptData ${LANG_VIETNAMESE} "Các không gian làm việc và dữ liệu của bạn được giữ nguyên."
LangString KeptData ${LANG_ENGLISH} "Your workspaces and data have been kept."

Function .onInit
  SetShellVarContext current
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Function un.onInit
  SetShellVarContext current
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

; A running program's executable cannot be opened for writing: ask to close it (silent: give up).
!macro CheckNotRunning EXE
  ${If} ${FileExists} "$INSTDIR\${EXE}"
    check_${EXE}:
    ClearErrors
    FileOpen $0 "$INSTDIR\${EXE}" a
    ${If} ${Errors}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(Running)" /SD IDCANCEL IDRETRY check_${EXE}
      Abort
    ${EndIf}
    FileClose $0
  ${EndIf}
!macroend

Section "!$(SecProgram)" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  !insertmacro CheckNotRunning "dtidesk.exe"
  !insertmacro CheckNotRunning "${GUIEXE}"
  ; an upgrade replaces the whole runtime: no stale libraries from the previous version
  RMDir /r "$INSTDIR\_internal"
  File /r "${SRCDIR}\*.*"
  File "/oname=dtidesk.ico" "dtidesk.ico"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\${GUIEXE}" "" "$INSTDIR\dtidesk.ico" 0

  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\dtidesk.ico"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" $0
SectionEnd

Section "$(SecDesktop)" SecDesktop
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\${GUIEXE}" "" "$INSTDIR\dtidesk.ico" 0
SectionEnd

; Removes exactly what the installer put there. Never RMDir /r "$INSTDIR": a user may have kept a
; workspace inside it; settings, logs and workspaces elsewhere are not touched at all.
Section "Uninstall"
  !insertmacro CheckNotRunning "dtidesk.exe"
  !insertmacro CheckNotRunning "${GUIEXE}"
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  Delete "$DESKTOP\${APPNAME}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\dtidesk.exe"
  Delete "$INSTDIR\${GUIEXE}"
  Delete "$INSTDIR\dtidesk.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DetailPrint "$(KeptData)"
SectionEnd
