# cloudpartner: the Cloud Partner Portal API server as a container (docs/distribution.md).
#   docker build -t cloudpartner .
#   docker run -p 8080:8080 -v cloudpartner-data:/data cloudpartner
# BASE is the public Node image of the exact Node version the project tests on (package.json,
# devDependencies.node; a test keeps them in step). CI, which reaches no image registry, builds
# this same file with --build-arg BASE=<a base assembled from Debian packages> (docs/distribution.md).
ARG BASE=docker.io/library/node:24.21.0-bookworm-slim

# The runtime dependencies, exactly as locked. --ignore-scripts: none of them builds anything.
FROM ${BASE} AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# The server's bundle (ADR 0010), as the package's: esbuild is a development dependency, the image
# needs only its output. The image runs no `import 'cloudpartner'`, so no tsc output (dist/) either.
FROM ${BASE} AS build
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build-bundle.ts ./scripts/
COPY src ./src
RUN node scripts/build-bundle.ts

FROM ${BASE}
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="cloudpartner" \
      org.opencontainers.image.description="A self-hostable, faithful implementation of the Cloud Partner Portal (CPP) offers API, api-version 2017-10-31" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://github.com/cloudpartner/cloudpartner" \
      org.opencontainers.image.documentation="https://github.com/cloudpartner/cloudpartner/blob/main/docs/distribution.md"
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /build/bundle ./bundle
COPY package.json LICENSE ./
COPY bin ./bin
COPY deploy/healthcheck.js ./deploy/healthcheck.js
# `cloudpartner` on PATH, for `docker exec <container> cloudpartner principals create …`.
RUN ln -s /app/bin/cloudpartner.js /usr/local/bin/cloudpartner && mkdir /data && chown node:node /data

USER node
# Node's compile cache (in /tmp, per user: hence after USER), filled now with the bundle's chunks,
# for the other commands (`serve` runs without it: bin/cloudpartner.js says why).
RUN node bin/cloudpartner.js --help >/dev/null \
  && node --input-type=module -e "(await import('node:module')).enableCompileCache(); \
    for (const chunk of (await import('node:fs')).readdirSync('/app/bundle')) \
      if (chunk.endsWith('.js') && chunk !== 'cloudpartner.js') await import('/app/bundle/' + chunk)"
# Listening beyond loopback implies production mode: the well-known development credentials are
# neither created nor accepted; `cloudpartner principals create` registers a caller (README).
# Secrets can come from files: CLOUDPARTNER_MASTER_KEY_FILE, CLOUDPARTNER_DATABASE_URL_FILE.
ENV NODE_ENV=production \
    CLOUDPARTNER_HOST=0.0.0.0 \
    CLOUDPARTNER_PORT=8080 \
    CLOUDPARTNER_DATA_DIR=/data
VOLUME /data
# HTTP; HTTPS when started with --https-port 8443 (or CLOUDPARTNER_HTTPS_PORT=8443).
EXPOSE 8080 8443

# No curl in the image: a Node script finds the listening ports itself and asks /health/ready.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "/app/deploy/healthcheck.js"]

# Node directly, not npm start: as PID 1 it receives SIGTERM itself (npm would not pass it on), lets
# in-flight requests finish and exits 0 within its 10 s grace. The Node flags are the server's
# (bin/cloudpartner.js, SERVER_NODE_FLAGS), as in `npm start`.
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=8", "--expose-gc", "bin/cloudpartner.js", "serve"]
