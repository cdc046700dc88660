package io.leadmkt.streams.dashboard;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.leadmkt.streams.access.Access;
import io.leadmkt.streams.access.Role;
import io.leadmkt.streams.api.JsonResponses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard: a page for sellers, buyers and analysts ({@code GET /dashboard}, static HTML, one
 * script and ECharts from its webjar, all from the classpath), which reads the reports API for the
 * figures of a time range and these two routes for the live part:
 * <ul>
 *   <li>{@code GET /v1/auctions/recent?campaign=&source=&limit=50}: the newest auctions this
 *       instance saw end, and the figures of its whole recent window ({@link LiveFigures}).</li>
 *   <li>{@code GET /v1/auctions/live?campaign=&source=}: server-sent events, one {@code auction}
 *       event per auction as it ends, a comment every {@value #HEARTBEAT_SECONDS} s to keep idle
 *       connections open.</li>
 * </ul>
 * Both serve sellers, buyers and analysts, each the auctions as {@link AuctionView} shows them to it
 * (a seller its own leads', a buyer those it was pinged in), and start the {@link AuctionFeed} on
 * first use. Events are written by one sender thread, so a browser that stops reading delays other
 * browsers' events, never the feed or the marketplace.
 */
public final class Dashboard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dashboard.class);
    static final int DEFAULT_LIMIT = 50;
    static final long HEARTBEAT_SECONDS = 15;
    private static final String PAGE_DIR = "leadmkt/dashboard/";
    private static final String ECHARTS_POM = "META-INF/maven/org.webjars.npm/echarts/pom.properties";

    private final RecentAuctions auctions;
    private final Runnable startFeed;
    private final Map<String, Asset> assets;
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "dashboard-sse");
        thread.setDaemon(true);
        return thread;
    });

    private record Asset(byte[] bytes, String contentType) {
    }

    /**
     * @param auctions  the recent auctions the live routes serve
     * @param startFeed starts filling them (idempotent), called on every live request
     */
    public Dashboard(RecentAuctions auctions, Runnable startFeed) {
        this.auctions = auctions;
        this.startFeed = startFeed;
        this.assets = Map.of(
                "", asset(PAGE_DIR + "index.html", "text/html; charset=utf-8"),
                "dashboard.js", asset(PAGE_DIR + "dashboard.js", "text/javascript; charset=utf-8"),
                "dashboard.css", asset(PAGE_DIR + "dashboard.css", "text/css; charset=utf-8"),
                "echarts.min.js", asset(echartsPath(), "text/javascript; charset=utf-8"));
    }

    /** Adds the page and the live routes to a server being configured. */
    public void mount(JavalinConfig config) {
        config.routes.get("/dashboard", ctx -> serve(ctx, ""));
        config.routes.get("/dashboard/{asset}", ctx -> serve(ctx, ctx.pathParam("asset")));
        // The page holds no data; each party sees the auctions as AuctionView shows them to it.
        config.routes.get("/v1/auctions/recent", this::recent, Role.SELLER, Role.BUYER, Role.ANALYST);
        config.routes.sse("/v1/auctions/live", this::live, Role.SELLER, Role.BUYER, Role.ANALYST);
    }

    private void serve(Context ctx, String name) {
        Asset asset = assets.get(name);
        if (asset == null) {
            JsonResponses.respond(ctx, 404, JsonNodeFactory.instance.objectNode().put("error", "not_found"));
            return;
        }
        ctx.status(200).contentType(asset.contentType()).header("Cache-Control", "no-cache").result(asset.bytes());
    }

    private void recent(Context ctx) {
        int limit;
        String asked = ctx.queryParam("limit");
        try {
            limit = asked == null || asked.isEmpty() ? DEFAULT_LIMIT : Integer.parseInt(asked);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 0 || limit > auctions.capacity()) {
            JsonResponses.respond(ctx, 400, JsonNodeFactory.instance.objectNode().put("error", "invalid_parameter")
                    .put("parameter", "limit").put("message", "limit must be a whole number from 0 to "
                            + auctions.capacity()));
            return;
        }
        startFeed.run();
        AuctionView view = new AuctionView(Access.caller(ctx));
        JsonResponses.respond(ctx, 200, AuctionJson.recent(view.of(auctions.all(filter(ctx))), limit));
    }

    private void live(SseClient client) {
        startFeed.run();
        AuctionFilter filter = filter(client.ctx());
        AuctionView view = new AuctionView(Access.caller(client.ctx()));
        AutoCloseable subscription = auctions.subscribe(auction -> {
            if (filter.test(auction)) {
                view.of(auction).ifPresent(seen -> {
                    String event = AuctionJson.auction(seen).toString();
                    sender.execute(() -> send(client, event));
                });
            }
        });
        var heartbeat = sender.scheduleAtFixedRate(() -> {
            if (!client.terminated()) {
                client.sendComment("alive");
            }
        }, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        client.onClose(() -> {
            heartbeat.cancel(false);
            try {
                subscription.close();
            } catch (Exception e) {
                log.debug("unsubscribing a closed stream failed: {}", e.toString());
            }
        });
        client.sendComment("auctions as they end");
        client.keepAlive();
    }

    private static void send(SseClient client, String event) {
        if (!client.terminated()) {
            client.sendEvent("auction", event);
        }
    }

    private static AuctionFilter filter(Context ctx) {
        return new AuctionFilter(ctx.queryParam("campaign"), ctx.queryParam("source"));
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }

    /** Where the ECharts webjar on the classpath keeps its one-file build, whatever its version. */
    private static String echartsPath() {
        Properties pom = new Properties();
        try (InputStream in = resource(ECHARTS_POM)) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "META-INF/resources/webjars/echarts/" + pom.getProperty("version") + "/dist/echarts.min.js";
    }

    private static Asset asset(String path, String contentType) {
        try (InputStream in = resource(path)) {
            return new Asset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException(path + " is not on the classpath: the dashboard cannot be served");
        }
        return in;
    }
}
