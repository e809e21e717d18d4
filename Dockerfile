# Both stages install with --ignore-scripts, so the build downloads nothing beyond the packages themselves:
# mongodb-memory-server's postinstall would fetch a mongod, @scarf/scarf would send telemetry, and tsc needs no script.

# Build stage: compile TypeScript with the dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies only (the embedded PostgreSQL binaries are optional ones, useless when
# MONGODB_URI is given), non-root.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# The image has no curl: Node's fetch asks GET /ready, and anything but 200 (or no answer) is unhealthy.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ready', { signal: AbortSignal.timeout(4000) }).then((res) => process.exit(res.status === 200 ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server.js"]
