# dockerkit as a container image: the static binary on scratch.
#   docker build -t dockerkit .                                   from source, in a Swift 6 image
#   docker build -t dockerkit --build-arg BINARY_FROM=release .   from dist/ (scripts/release.sh), offline
#   docker run --rm -i dockerkit lint - < Dockerfile
ARG SWIFT_IMAGE=swift:6.0-bookworm
ARG BINARY_FROM=source

FROM ${SWIFT_IMAGE} AS source
WORKDIR /src
COPY . .
RUN swift build -c release --product dockerkit \
    && cp "$(swift build -c release --product dockerkit --show-bin-path)/dockerkit" /dockerkit \
    && strip /dockerkit

FROM scratch AS release
COPY dist/dockerkit-*-linux-x86_64 /dockerkit

# The stage named by BINARY_FROM; BuildKit builds only the stages the image needs.
# hadolint ignore=DL3006
FROM ${BINARY_FROM} AS binary

FROM scratch
LABEL org.opencontainers.image.title="dockerkit" \
    org.opencontainers.image.description="Dockerfile parser, formatter and linter; GPU lab images and labs" \
    org.opencontainers.image.licenses="MIT"
COPY --from=binary /dockerkit /usr/local/bin/dockerkit
ENV PATH=/usr/local/bin
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["dockerkit"]
CMD ["--help"]
