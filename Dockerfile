# syntax=docker/dockerfile:1
# The leadmkt image: one image for every piece (`streams`, `connector`, `acls`, `config`, ...), the
# launcher's subcommand chosen by the container's arguments, e.g.
#   docker build -t leadmkt:0.1.0 .
#   docker run --rm leadmkt:0.1.0 streams --config /etc/leadmkt/leadmkt.properties
# Not built on the project's own machines (no Docker daemon there): deploy/compose and deploy/k8s use it.

# --- build: the same Maven build as ./leadmkt, without installing into a shared repository -----------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# package (not install): the launcher's copy-dependencies step puts every runtime jar in launcher/target/lib.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests -pl launcher -am package

# --- runtime: a JRE, the launcher's classes and its jars, nothing else ----------------------------------
FROM eclipse-temurin:17-jre
# A fixed non-root uid, so a Kubernetes securityContext (runAsUser / fsGroup 10001) matches the image.
# curl: the compose health checks call /health/ready from inside the container.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 leadmkt \
 && useradd --system --uid 10001 --gid leadmkt --home-dir /var/lib/leadmkt --shell /usr/sbin/nologin leadmkt \
 && mkdir -p /var/lib/leadmkt/state /etc/leadmkt \
 && chown -R leadmkt:leadmkt /var/lib/leadmkt
COPY --from=build /src/launcher/target/classes /opt/leadmkt/classes
COPY --from=build /src/launcher/target/lib /opt/leadmkt/lib
# The documented defaults; mount the real settings file over it (a ConfigMap, a bind mount).
COPY deploy/config/leadmkt.properties /etc/leadmkt/leadmkt.properties
USER 10001
WORKDIR /var/lib/leadmkt
# RocksDB state (streams.state.dir): keep it on a volume so a restart restores from disk, not the changelog.
VOLUME /var/lib/leadmkt/state
EXPOSE 8080 8081
# JVM options hook, as ./leadmkt reads it. The default leaves half the container's memory outside the
# heap for RocksDB (streams.rocksdb.memory.bytes), direct buffers and threads.
ENV LEADMKT_JAVA_OPTS="-XX:MaxRAMPercentage=50"
# exec: the JVM replaces the shell as PID 1, so SIGTERM reaches its shutdown hooks (clean close,
# leave the group). Avro 1.12 instantiates only trusted SpecificRecord classes; ours live in io.leadmkt.schema.
ENTRYPOINT ["sh", "-c", "exec java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.leadmkt.schema $LEADMKT_JAVA_OPTS -cp '/opt/leadmkt/classes:/opt/leadmkt/lib/*' io.leadmkt.launcher.LeadMkt \"$@\"", "leadmkt"]
CMD ["--help"]
