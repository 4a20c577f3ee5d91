# One image for every Mizzen component; the command picks the component.
FROM node:20-bookworm-slim AS build
WORKDIR /mizzen
COPY . .
RUN npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /mizzen
COPY --from=build /mizzen /mizzen
ENV NODE_ENV=production
# galley | pilot | proxy | meshctl
ENTRYPOINT ["/mizzen/deploy/docker/entrypoint.sh"]
