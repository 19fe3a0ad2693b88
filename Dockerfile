# syntax=docker/dockerfile:1
# The auction server as a container image: built with the Swift 6.3 toolchain,
# run on a slim Debian with only the runtime libraries, as a non-root user.

# ---- build ----
FROM swift:6.3-bookworm AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       pkg-config libsqlite3-dev libhiredis-dev librabbitmq-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
# The manifest first, so the resolved dependencies stay cached while only sources change.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
# Package.swift names the test targets too; their folders must exist to load it.
COPY Tests ./Tests
RUN swift build -c release --product auction --static-swift-stdlib \
    && mkdir -p /staging \
    && cp "$(swift build -c release --show-bin-path)/auction" /staging/auction

# ---- run ----
FROM debian:bookworm-slim AS run
# The C libraries the binary links (SQLite, hiredis, rabbitmq-c with OpenSSL),
# CA roots for managed PostgreSQL over TLS, curl for the health check.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       ca-certificates libsqlite3-0 libhiredis0.14 librabbitmq4 curl tzdata \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --user-group --create-home --home-dir /app auction
WORKDIR /app
COPY --from=build /staging/auction /usr/local/bin/auction
COPY config ./config
ENV APP_SETTINGS=prod CONFIG_DIR=/app/config
USER auction:auction
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
ENTRYPOINT ["/usr/local/bin/auction"]
CMD ["serve"]
