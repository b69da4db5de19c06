# One image for the three apps (and the embedded mode); docker-compose.yml picks the entry point.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Build with the dev tools (swc), then drop them: the runtime image carries production deps only.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production DATA_DIR=/app/data
WORKDIR /app
# Offline speech for phone calls (twilio-voice): pocketsphinx to listen, flite/espeak-ng to speak, sox to convert.
RUN apt-get update && apt-get install -y --no-install-recommends pocketsphinx pocketsphinx-en-us flite espeak-ng sox \
  && rm -rf /var/lib/apt/lists/*
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000 3001 3002
# Without DATABASE_URL/NATS_URL this is the embedded mode (PGlite in /app/data, in-process bus).
CMD ["node", "dist/apps/embedded/src/main.js"]
