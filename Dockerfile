# cloudpartner: the Cloud Partner Portal API server. Node 24 runs the TypeScript sources directly,
# so there is no build step. See docs/unmodified-clients.md#docker.
FROM node:24-bookworm-slim

WORKDIR /app
COPY package.json package-lock.json ./
# Runtime dependencies only, exactly as locked; the image's own Node 24 runs the code.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY src ./src
RUN mkdir /data && chown node:node /data

USER node
# Node's compile cache (in /tmp, per user: hence after USER), filled now with the modules `serve`
# loads, types already stripped: no start of a container loads Node's type stripper (~15 MB of
# memory) or compiles those modules again (docs/performance.md).
RUN node bin/cloudpartner.js serve --help > /dev/null \
  && node --input-type=module -e "(await import('node:module')).enableCompileCache(); \
    await import('./src/server.ts'); await import('./src/storage/postgres-database.ts')"
# Listening beyond loopback implies production mode: no well-known development credentials.
ENV NODE_ENV=production \
    CLOUDPARTNER_HOST=0.0.0.0 \
    CLOUDPARTNER_PORT=8080 \
    CLOUDPARTNER_DATA_DIR=/data
VOLUME /data
EXPOSE 8080

# No curl in the image: Node's fetch asks the readiness route (store reachable and migrated).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.CLOUDPARTNER_PORT ?? 8080}/health/ready`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Node directly, not npm start: as PID 1 it receives SIGTERM itself (npm would not pass it on), lets
# in-flight requests finish and exits 0. The Node flags are the server's (bin/cloudpartner.js,
# SERVER_NODE_FLAGS: 8 MB young-generation semi-spaces), as in `npm start`.
CMD ["node", "--max-semi-space-size=8", "bin/cloudpartner.js", "serve"]
