FROM ubuntu:latest
MAINTAINER someone@example.com
LABEL maintainer="x" extra="y"
RUN apt-get update && apt-get install -y curl python3-pip
# hadolint ignore=DL3003
RUN cd /tmp && pip install requests
RUN cd /srv && sudo make
FROM quay.io/org/image:1.0 AS build
WORKDIR app
COPY . /app
EXPOSE 99999
CMD python3 app.py
