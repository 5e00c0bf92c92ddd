FROM mcr.microsoft.com/windows/servercore:ltsc2022
# hadolint shell=powershell
RUN Get-ChildItem $env:TEMP; cd C:\app
