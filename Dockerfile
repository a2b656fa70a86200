# syntax=docker/dockerfile:1
# Collabot: docker build -t collabot .            (Slack, Discord and the console)
#           docker build --target whatsapp -t collabot:whatsapp .   (adds Chromium for WhatsApp)
# See docs/operate/deploy.md.

# --- build: install dependencies (better-sqlite3 compiles if no prebuilt binary fits) ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .puppeteerrc.cjs tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
COPY commands ./commands
COPY scripts ./scripts
# npm ci also compiles and bundles to dist/ (the prepare script), so the sources come first; then the dev tools go.
RUN npm ci \
 && npm prune --omit=dev \
 && npm cache clean --force

# --- runtime: no compilers, a non-root user, the database on a volume ---
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    COLLABOT_DB=/app/data/collabot.sqlite \
    COLLABOT_BACKUP_DIR=/app/data/backups
WORKDIR /app
RUN groupadd --system collabot \
 && useradd --system --gid collabot --home-dir /app --shell /usr/sbin/nologin collabot \
 && mkdir -p /app/data \
 && chown collabot:collabot /app/data \
 && chmod 700 /app/data
COPY --from=build /app /app
USER collabot
VOLUME ["/app/data"]
EXPOSE 3000
# Docker stops with SIGTERM: the bot delivers what is queued (up to 10 s) and releases its lock.
STOPSIGNAL SIGTERM
CMD ["npm", "start"]

# --- whatsapp: the same, plus Chromium from Debian for whatsapp-web.js ---
FROM runtime AS whatsapp
USER root
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-liberation \
 && rm -rf /var/lib/apt/lists/*
USER collabot
ENV WHATSAPP_ENABLED=true \
    CHROMIUM_PATH=/usr/bin/chromium

# The default target is the small image without Chromium.
FROM runtime
