package io.leadmkt.streams.whatif;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.leadmkt.schema.Money;
import io.leadmkt.schema.RoutingMode;
import io.leadmkt.streams.access.Access;
import io.leadmkt.streams.access.Role;
import io.leadmkt.streams.api.InstanceFanOut;
import io.leadmkt.streams.api.JsonResponses;
import io.leadmkt.streams.api.ReportsUnavailable;
import io.leadmkt.streams.report.ReportRequest;
import io.leadmkt.streams.whatif.FloorWhatIf.AcceptRates;
import io.leadmkt.streams.whatif.FloorWhatIf.Policy;
import io.leadmkt.streams.whatif.FloorWhatIf.Result;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The floor what-if over HTTP, for analysts (and admins): what the leads decided in a window would
 * have brought under other floors ({@code GET /v1/whatif/floor}, a curve) or routed otherwise
 * ({@code GET /v1/whatif/policies}: the auction, a waterfall, tiers), and the recorded auctions
 * themselves ({@code GET /v1/whatif/auctions}). The same answer from every instance: the records
 * come from every partition ({@link WhatIfQueries}); the replay is {@link FloorWhatIf}'s.
 */
public final class WhatIfApi {
    private static final Logger log = LoggerFactory.getLogger(WhatIfApi.class);
    static final int MAX_FLOORS = 50;
    private static final long RETRY_AFTER_SECONDS = 2;
    private static final List<String> WINDOW = List.of("campaign", "from", "to", InstanceFanOut.SCOPE,
            InstanceFanOut.STANDBY);
    private static final List<String> ASSUMPTIONS = List.of(
            "Every buyer answers as recorded (the same bid, pass or silence) whatever the floor, the routing or the "
                    + "other buyers; a buyer the lead was never offered does not bid.",
            "A post with a recorded result goes the same way again. Caps and budgets are not replayed: a post its "
                    + "buyer's caps refused stays refused.",
            "A post never tried is accepted with its buyer's accept rate in this window (acceptRates: posts accepted "
                    + "per post sent), else the window's accept rate of every buyer, else 100 %; sold leads and money "
                    + "are then expected values, rounded half up to the cent (estimatedLeads counts the leads concerned).",
            "Margins, pricing, preferred buyers and buyer priorities are as configured when each lead ended; "
                    + "a waterfall or tiers follow the buyers' priority (lowest first).");

    private final WhatIfQueries queries;

    public WhatIfApi(WhatIfQueries queries) {
        this.queries = queries;
    }

    /** Adds the routes to a server being configured: analysts only, as they show every buyer's bids. */
    public void mount(JavalinConfig config) {
        config.routes.get("/v1/whatif/floor", this::floor, Role.ANALYST);
        config.routes.get("/v1/whatif/policies", this::policies, Role.ANALYST);
        config.routes.get(WhatIfQueries.AUCTIONS_PATH, this::auctions, Role.ANALYST);
    }

    private void floor(Context ctx) {
        answer(ctx, List.of("floors"), (window, recorded) -> {
            List<Long> floors = floors(ctx.queryParam("floors"));
            AcceptRates rates = AcceptRates.observed(recorded.auctions());
            ObjectNode body = head(window, recorded, rates);
            ArrayNode points = body.putArray("points");
            for (long floor : floors) {
                ObjectNode point = points.addObject().put("floor", Money.format(floor));
                figures(point, FloorWhatIf.replay(recorded.auctions(), Policy.auction(floor), rates));
            }
            return body;
        });
    }

    private void policies(Context ctx) {
        answer(ctx, List.of("floor"), (window, recorded) -> {
            Long floor = ctx.queryParam("floor") == null ? null : money("floor", ctx.queryParam("floor"));
            AcceptRates rates = AcceptRates.observed(recorded.auctions());
            ObjectNode body = head(window, recorded, rates);
            body.put("floor", floor == null ? null : Money.format(floor));
            ArrayNode policies = body.putArray("policies");
            for (RoutingMode routing : List.of(RoutingMode.PARALLEL, RoutingMode.WATERFALL, RoutingMode.TIERS)) {
                ObjectNode policy = policies.addObject().put("policy", policyName(routing));
                figures(policy, FloorWhatIf.replay(recorded.auctions(), new Policy(routing, floor), rates));
            }
            return body;
        });
    }

    private void auctions(Context ctx) {
        answer(ctx, List.of(), (window, recorded) -> WhatIfQueries.json(new InstanceFanOut.Part<>(
                new TreeSet<>(), recorded)).without("partitions"));
    }

    /** What a route makes of a window's recorded auctions. */
    private interface Replay {
        ObjectNode apply(WhatIfQueries.Window window, WhatIfQueries.Recorded recorded);
    }

    /**
     * Reads the window, refuses unknown parameters, and answers with the replay of every partition's
     * auctions, naming the partitions a standby served; {@code ?scope=local} answers this instance's
     * recorded auctions instead, with {@code standby=1,3} those partitions' auctions from its standbys (what the
     * other instances ask each other for).
     */
    private void answer(Context ctx, List<String> own, Replay replay) {
        WhatIfQueries.Window window;
        try {
            for (String parameter : ctx.queryParamMap().keySet()) {
                if (!WINDOW.contains(parameter) && !own.contains(parameter)) {
                    throw new ReportRequest.BadParameter(parameter.length() > 64 ? parameter.substring(0, 64) + "..."
                            : parameter, "unknown parameter; known: " + String.join(", ", WINDOW)
                            + (own.isEmpty() ? "" : ", " + String.join(", ", own)));
                }
            }
            window = window(ctx.queryParam("campaign"), ctx.queryParam("from"), ctx.queryParam("to"), Instant.now());
            Optional<InstanceFanOut.Share> share = InstanceFanOut.share(ctx.queryParam(InstanceFanOut.SCOPE),
                    ctx.queryParam(InstanceFanOut.STANDBY));
            if (share.isPresent()) {
                JsonResponses.respond(ctx, 200, WhatIfQueries.json(queries.here(window, share.get())));
                return;
            }
            InstanceFanOut.Answer<WhatIfQueries.Recorded> answer = queries.everywhere(window,
                    Access.credentials(ctx).orElse(null));
            if (answer.value().truncated()) {
                throw new ReportRequest.BadParameter("from", "the window holds more than " + WhatIfQueries.MAX_AUCTIONS
                        + " decided leads: narrow it (from, to, campaign)");
            }
            ObjectNode body = replay.apply(window, answer.value());
            answer.mark(ctx, body);
            JsonResponses.respond(ctx, 200, body);
        } catch (ReportRequest.BadParameter bad) {
            JsonResponses.respond(ctx, 400, JsonResponses.MAPPER.createObjectNode().put("error", "invalid_parameter")
                    .put("parameter", bad.parameter()).put("message", bad.getMessage()));
        } catch (ReportsUnavailable e) {
            log.debug("what-if unavailable: {}", e.getMessage());
            ctx.header("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
            JsonResponses.respond(ctx, 503, JsonResponses.MAPPER.createObjectNode().put("error", "unavailable")
                    .put("retryable", true).put("reason", e.getMessage()));
        }
    }

    /** {@code from} and {@code to} as the reports read them (default: the last 24 hours); campaign optional. */
    static WhatIfQueries.Window window(String campaign, String from, String to, Instant now) {
        Instant until = to == null || to.isEmpty() ? now : ReportRequest.time("to", to);
        Instant since = from == null || from.isEmpty() ? until.minus(Duration.ofDays(1)) : ReportRequest.time("from", from);
        if (!since.isBefore(until)) {
            throw new ReportRequest.BadParameter("from", "from must be before to");
        }
        if (campaign != null && (campaign.isEmpty() || campaign.length() > 128)) {
            throw new ReportRequest.BadParameter("campaign", "campaign: 1 to 128 characters");
        }
        return new WhatIfQueries.Window(campaign, since, until);
    }

    /** {@code 1.00,2.50,…}: 1 to {@value #MAX_FLOORS} amounts, ascending and each once. */
    static List<Long> floors(String floors) {
        if (floors == null || floors.isBlank()) {
            throw new ReportRequest.BadParameter("floors", "floors: the floors to try, as decimal amounts (floors=1.00,2.00,5.00)");
        }
        TreeSet<Long> cents = new TreeSet<>();
        for (String floor : floors.split(",")) {
            cents.add(money("floors", floor.trim()));
        }
        if (cents.size() > MAX_FLOORS) {
            throw new ReportRequest.BadParameter("floors", "at most " + MAX_FLOORS + " floors");
        }
        return List.copyOf(cents);
    }

    private static long money(String parameter, String amount) {
        Optional<Long> cents = Money.parseCents(amount);
        if (cents.isEmpty() || cents.get() < 0) {
            throw new ReportRequest.BadParameter(parameter, parameter + ": " + (amount.length() > 32
                    ? amount.substring(0, 32) + "..." : amount) + " is not an amount of money (like 12.50)");
        }
        return cents.get();
    }

    private static String policyName(RoutingMode routing) {
        return routing == RoutingMode.PARALLEL ? "auction" : routing.name().toLowerCase(Locale.ROOT);
    }

    /** The window, what it recorded, the accept rates assumed and the assumptions: the head of both answers. */
    private static ObjectNode head(WhatIfQueries.Window window, WhatIfQueries.Recorded recorded, AcceptRates rates) {
        ObjectNode body = JsonResponses.MAPPER.createObjectNode();
        body.put("campaign", window.campaign()).put("from", window.from().toString()).put("to", window.to().toString());
        figures(body.putObject("recorded"), FloorWhatIf.recorded(recorded.auctions()));
        ArrayNode buyers = body.putArray("acceptRates");
        for (Map.Entry<String, long[]> buyer : rates.byBuyer().entrySet()) {
            buyers.addObject().put("buyer", buyer.getKey()).put("posts", buyer.getValue()[0])
                    .put("accepted", buyer.getValue()[1]).put("acceptRate", percent(rates.rate(buyer.getKey())));
        }
        body.put("marketAcceptRate", rates.posts() == 0 ? null : percent(rates.market()));
        ArrayNode assumptions = body.putArray("assumptions");
        ASSUMPTIONS.forEach(assumptions::add);
        return body;
    }

    /** A result's figures, money as decimal strings, sell-through in percent with one decimal. */
    private static void figures(ObjectNode json, Result result) {
        json.put("leads", result.leads())
                .put("sold", result.soldRounded())
                .put("revenue", Money.format(result.revenue()))
                .put("sellerPayout", Money.format(result.payout()))
                .put("platformFee", Money.format(result.fee()))
                .put("sellThrough", result.sellThroughPercent())
                .put("estimatedLeads", result.estimatedLeads());
    }

    private static BigDecimal percent(BigDecimal fraction) {
        return fraction.movePointRight(2).setScale(1, RoundingMode.HALF_UP);
    }
}
