; Included by electron-builder's NSIS installer (electron-builder.yml, nsis.include).
; Makes Callbridge a choice in Settings > Apps > Default apps for TEL (and CALLTO, SIP,
; VOISPEED), the step Season Office's document tells users to take: Windows lists an app
; there once RegisteredApplications points at its Capabilities, whose URLAssociations name
; a ProgID that says how to start it. Per user (HKCU), as the installer is per user.
; The command puts `--` before the link, so that a crafted link is never read as a Chromium
; switch (CVE-2018-1000006); the app takes links only after `--` (electron/link-args.ts).

!macro customInstall
  WriteRegStr HKCU "Software\Classes\Callbridge.Link" "" "Callbridge link"
  WriteRegStr HKCU "Software\Classes\Callbridge.Link" "URL Protocol" ""
  WriteRegStr HKCU "Software\Classes\Callbridge.Link\DefaultIcon" "" "$INSTDIR\${APP_EXECUTABLE_FILENAME},0"
  WriteRegStr HKCU "Software\Classes\Callbridge.Link\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" -- "%1"'

  WriteRegStr HKCU "Software\Callbridge\Capabilities" "ApplicationName" "Callbridge"
  WriteRegStr HKCU "Software\Callbridge\Capabilities" "ApplicationDescription" "Softphone and CTI client: dials tel:, callto:, sip: and voispeed: links"
  WriteRegStr HKCU "Software\Callbridge\Capabilities\URLAssociations" "tel" "Callbridge.Link"
  WriteRegStr HKCU "Software\Callbridge\Capabilities\URLAssociations" "callto" "Callbridge.Link"
  WriteRegStr HKCU "Software\Callbridge\Capabilities\URLAssociations" "sip" "Callbridge.Link"
  WriteRegStr HKCU "Software\Callbridge\Capabilities\URLAssociations" "voispeed" "Callbridge.Link"
  WriteRegStr HKCU "Software\RegisteredApplications" "Callbridge" "Software\Callbridge\Capabilities"
!macroend

!macro customUnInstall
  DeleteRegValue HKCU "Software\RegisteredApplications" "Callbridge"
  DeleteRegKey HKCU "Software\Callbridge\Capabilities"
  DeleteRegKey /ifempty HKCU "Software\Callbridge"
  DeleteRegKey HKCU "Software\Classes\Callbridge.Link"
!macroend
