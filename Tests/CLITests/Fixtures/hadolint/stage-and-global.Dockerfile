# hadolint global ignore=DL3007
FROM ubuntu:latest AS first
RUN apt-get install -y curl
# hadolint stage ignore=DL3008,DL3015
FROM ubuntu:22.04 AS second
RUN apt-get install -y curl
FROM ubuntu:22.04 AS third
RUN apt-get install -y wget
