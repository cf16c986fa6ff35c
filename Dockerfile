# syntax=docker/dockerfile:1
#
# The bot's image: TypeScript compiled in a build stage, and a runtime stage holding only the
# compiled dist/ and the production dependencies, run by the unprivileged `node` user.
#
#   docker build -t esg-news-bot .
#   docker run --env-file .env -e REDIS_URL=redis://redis-host:6379 -e ROLE=worker esg-news-bot
#
# compose.yaml runs it with Redis, one service per role. Configuration comes only from the
# environment at run time: nothing secret is built into the image, and the build context
# (.dockerignore) holds no .env file.

# Debian slim rather than Alpine: glibc, the C library the bot is developed, tested and
# benchmarked on. Node's musl builds are an "experimental" platform, and every source's host is
# resolved through the C library's getaddrinfo, where musl differs (search domains, TCP
# fallback). Alpine would save about 70 MB of a roughly 300 MB image.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first, so a source change reuses this layer. --ignore-scripts skips `prepare`
# (the build), which cannot run before the sources are copied.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
COPY jobs ./jobs
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Production dependencies only. --omit=optional as well: it leaves out typescript (23 MB, an
# optional peer of valibot that npm would otherwise keep, being a devDependency too) and
# msgpackr-extract, a native speed-up of msgpackr, which falls back to plain JavaScript
# (npm/cli#6282, #5203). --ignore-scripts: `prepare` would need tsc; what remains has no
# install script, nor anything native to build.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund
# Only the compiled code: no runtime file of the bot is anything but JavaScript (nothing reads
# files next to the code), and the sources and tests stay in the build stage. Files stay owned
# by root, so the process cannot change its own code.
COPY --from=build /app/dist ./dist

USER node
EXPOSE 3000
# Every role serves GET /healthz: 200 while Redis answers, 503 otherwise. Node's fetch asks it,
# as the slim image has neither curl nor wget; it follows PORT if the environment changes it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# What `npm start` runs, without npm in between: exec form, so SIGTERM from `docker stop`
# reaches Node itself, which finishes in-flight jobs and exits (src/main.ts). The base image's
# entrypoint execs this command, so Node is PID 1 (or the child of `init: true`'s tini) and,
# having its own SIGTERM and SIGINT handlers, is not subject to PID 1's ignored default signals.
CMD ["node", "dist/src/main.js"]
