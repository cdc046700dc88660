package io.leadmkt.streams.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.leadmkt.ops.Health;
import io.leadmkt.ops.OpsRoutes;
import io.leadmkt.ops.ProcessMetrics;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.LeadStatus;
import io.leadmkt.streams.access.Access;
import io.leadmkt.streams.access.AccessDenied;
import io.leadmkt.streams.access.AccessRules;
import io.leadmkt.streams.access.Caller;
import io.leadmkt.streams.access.Role;
import io.leadmkt.streams.admin.AdminApi;
import io.leadmkt.streams.capture.CaptureForms;
import io.leadmkt.streams.dashboard.Dashboard;
import io.leadmkt.schema.FieldError;
import io.leadmkt.streams.intake.ErrorCodes;
import io.leadmkt.streams.privacy.PrivacyApi;
import io.leadmkt.streams.whatif.WhatIfApi;
import io.leadmkt.streams.intake.IntakeResult;
import io.leadmkt.streams.intake.JsonLeadReader;
import io.leadmkt.streams.intake.LeadNormalizer;
import io.leadmkt.streams.report.ReportDimension;
import io.leadmkt.streams.report.ReportRequest;
import io.leadmkt.streams.report.ReportTable;
import io.leadmkt.streams.returns.PostbackApi;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of the marketplace for sellers and operators:
 * <ul>
 *   <li>{@code POST /v1/leads}: a lead as JSON ({@link JsonLeadReader} layout). 202 with its id and
 *       status URL once {@link LeadIntake} has it; 400 naming every bad field; 413 over 64 KB;
 *       503 when the intake topic cannot take it within 5 s, or 503 {@code overloaded} with Retry-After
 *       while the pipeline is behind (safe to retry with the same leadId either way).
 *       The lead is checked here only to answer the seller at once: the raw lead is what goes to
 *       {@code leads.inbound}, where the stream checks it again like any other source's.</li>
 *   <li>{@code GET /v1/leads/{id}}: the lead's stage, outcome, rejection and audit timeline
 *       ({@link LeadStatusJson}); 404 if unknown; 307 to the instance that owns the lead when this
 *       one does not; 503 (retryable) while the store cannot answer.</li>
 *   <li>With a {@link ReportSource}: {@code GET /v1/reports/{dimension}?from=&to=&bucket=hour|day}, the
 *       figures per buyer, seller, source, campaign or state ({@link ReportJson}), with totals per
 *       bucket and overall, only the values named by {@code ?<dimension>=} when given; as CSV with
 *       {@code Accept: text/csv}; 400 naming the bad parameter; 503 with Retry-After while a store
 *       restores or no copy of a partition answers. While an instance is gone but still in the group, its
 *       partitions come from standbys, named in {@code standbyPartitions} and the {@code X-Standby-Partitions}
 *       header. {@code scope=local} gives this instance's share only, with {@code standby=1,3} those
 *       partitions from its standbys (what {@link InstanceFanOut} fans out for).</li>
 *   <li>With a {@link Dashboard}: {@code GET /dashboard} and the live auction routes it reads.</li>
 *   <li>With {@link CaptureForms}: {@code GET|POST /form/{campaignId}}, the campaigns' open capture
 *       forms, whose leads go through the same checks and {@link LeadSubmitter} as {@code POST /v1/leads}.</li>
 *   <li>{@code GET /health}: the health map as JSON.</li>
 *   <li>With an {@link AdminApi}: its {@code /v1/admin/...} routes, and {@code POST /v1/optouts}
 *       (opt-outs posted back by buyers and sellers).</li>
 *   <li>With a {@link PrivacyApi} ({@link #withPrivacy}): deletions and disclosures under {@code /v1/privacy/}.</li>
 *   <li>With a {@link PostbackApi} ({@link #withPostbacks}): buyers' conversions and returns under
 *       {@code /v1/postbacks}, one route of which (a signed URL) is open: its signature is its key.</li>
 *   <li>With {@link Operations}: {@code GET /metrics}, {@code GET /health/live} and
 *       {@code GET /health/ready} ({@link OpsRoutes}).</li>
 * </ul>
 * Every route but health, metrics and signed postback URLs names the roles it serves, and {@link Access} checks the
 * caller's key before the route runs (401 {@code unauthorized} without a usable key, 403
 * {@code forbidden} for a role the route does not serve); the route then checks the parties: a
 * seller submits and reads its own sources' leads, a buyer reads the leads it bought, report rows
 * are filtered to the caller's ({@link AccessRules}). A path parameter that cannot be an id (too long,
 * a slash, a control character, {@code ..}) is 400 naming it, whatever the route.
 * Every answer, errors included, is JSON; no stack trace ever leaves the process. With a keystore
 * ({@link HttpApiConfig.Tls}) the API serves HTTPS only.
 */
public final class LeadApi implements AutoCloseable {

    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(5);
    /** How long a client waits before asking again for a report that could not be complete. */
    static final long REPORT_RETRY_AFTER_SECONDS = 5;
    /** The longest path parameter (an id) taken: lead, buyer, campaign and key ids are far shorter. */
    static final int MAX_PATH_PARAM_LENGTH = 128;
    /** The report query parameters besides the one named like the dimension ({@code ?buyer=b1}). */
    static final List<String> REPORT_PARAMETERS = List.of("bucket", "from", "to", InstanceFanOut.SCOPE,
            InstanceFanOut.STANDBY);

    private static final Logger log = LoggerFactory.getLogger(LeadApi.class);
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final int requestedPort;
    private final Access access;
    private final Optional<HttpApiConfig.Tls> tls;
    private final LeadStatusLookup lookup;
    private final Supplier<Map<String, Object>> health;
    private final LeadSubmitter submitter;
    private final AdminApi admin;
    private final Operations operations;
    private final ReportSource reports;
    private final JsonLeadReader reader = new JsonLeadReader();
    private final LeadNormalizer normalizer = new LeadNormalizer();
    private Dashboard dashboard;
    private CaptureForms forms;
    private IntakeForwarding forwarding;
    private Javalin server;
    private PrivacyApi privacy;
    private PostbackApi postbacks;
    private WhatIfApi whatIf;
    private final List<Route> routes = new CopyOnWriteArrayList<>();

    /** A route the server registered: its HTTP method, its path (Javalin's {@code {param}} syntax, as OpenAPI's) and its roles (none: open). */
    public record Route(String method, String path, Set<String> roles) {
    }

    /** The served OpenAPI document: {@code leadmkt/openapi.json} on the classpath, checked against {@link #routes()} by a test. */
    static final String OPENAPI_RESOURCE = "leadmkt/openapi.json";

    /** What the operator routes serve: this process's metrics and its health rule. */
    public record Operations(ProcessMetrics metrics, Supplier<Health> health) {
    }

    public LeadApi(int port, Access access, LeadIntake intake, LeadStatusLookup lookup,
                   Supplier<Map<String, Object>> health) {
        this(port, access, Optional.empty(), intake, lookup, health, SUBMIT_TIMEOUT, null, null, null);
    }

    /** With the admin endpoints ({@code /v1/admin/...}) of {@code admin} mounted too. */
    public LeadApi(int port, Access access, LeadIntake intake, LeadStatusLookup lookup,
                   Supplier<Map<String, Object>> health, AdminApi admin) {
        this(port, access, Optional.empty(), intake, lookup, health, SUBMIT_TIMEOUT, admin, null, null);
    }

    /**
     * With the admin endpoints, the operator routes (metrics, liveness, readiness) and the reports
     * ({@code /v1/reports/...}) mounted too (each may be null), serving HTTPS when {@code tls} is given.
     */
    public LeadApi(int port, Access access, Optional<HttpApiConfig.Tls> tls, LeadIntake intake,
                   LeadStatusLookup lookup, Supplier<Map<String, Object>> health, AdminApi admin,
                   Operations operations, ReportSource reports) {
        this(port, access, tls, intake, lookup, health, SUBMIT_TIMEOUT, admin, operations, reports);
    }

    /** For tests: a submit timeout short enough to observe. */
    LeadApi(int port, Access access, LeadIntake intake, LeadStatusLookup lookup,
            Supplier<Map<String, Object>> health, Duration submitTimeout) {
        this(port, access, Optional.empty(), intake, lookup, health, submitTimeout, null, null, null);
    }

    private LeadApi(int port, Access access, Optional<HttpApiConfig.Tls> tls, LeadIntake intake,
                    LeadStatusLookup lookup, Supplier<Map<String, Object>> health, Duration submitTimeout,
                    AdminApi admin, Operations operations, ReportSource reports) {
        this.access = Objects.requireNonNull(access, "access");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.admin = admin;
        this.reports = reports;
        this.operations = operations;
        this.requestedPort = port;
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.health = Objects.requireNonNull(health, "health");
        this.submitter = new LeadSubmitter(Objects.requireNonNull(intake, "intake"),
                Objects.requireNonNull(submitTimeout, "submitTimeout"));
    }

    /** Serves {@code dashboard}'s page and live routes too; call before {@link #start()}. */
    public synchronized LeadApi withDashboard(Dashboard dashboard) {
        this.dashboard = dashboard;
        return this;
    }

    /** Serves the campaigns' capture forms ({@code /form/...}) too, through the same intake; call before {@link #start()}. */
    public synchronized LeadApi withForms(CaptureForms forms) {
        this.forms = forms;
        return this;
    }

    /**
     * Sends {@code POST /v1/leads} on to the door of the instance that reads the lead's partition, which
     * judges it ({@link IntakeForwarding}); call before {@link #start()}. Without it this door judges
     * every lead.
     */
    public synchronized LeadApi withForwarding(IntakeForwarding forwarding) {
        this.forwarding = forwarding;
        return this;
    }

    /** Mounts the floor what-if routes ({@code /v1/whatif/...}) too; call before {@link #start()}. */
    public synchronized LeadApi withWhatIf(WhatIfApi whatIf) {
        this.whatIf = whatIf;
        return this;
    }

    /** Mounts the privacy routes ({@code /v1/privacy/...}) too; call before {@link #start()}. */
    public synchronized LeadApi withPrivacy(PrivacyApi privacy) {
        this.privacy = privacy;
        return this;
    }

    /** Mounts the postback routes ({@code /v1/postbacks...}) too; call before {@link #start()}. */
    public synchronized LeadApi withPostbacks(PostbackApi postbacks) {
        this.postbacks = postbacks;
        return this;
    }

    /** Binds all interfaces on the port given (0: any free port, see {@link #port()}). */
    public synchronized LeadApi start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            tls.ifPresent(keystore -> config.jetty.addConnector((jetty, http) -> httpsConnector(jetty, http, keystore)));
            config.jetty.modifyServer(jetty -> jetty.setErrorHandler(new JettyJsonErrors()));
            // Who calls first (401 before anything about the request is judged), then what it asks for.
            config.events.handlerAdded(handler -> {
                if (handler.getHttpMethod().isHttpMethod()) {
                    routes.add(new Route(handler.getHttpMethod().name(), handler.getPath(), handler.getRoles().stream()
                            .map(role -> role.toString().toLowerCase(Locale.ROOT)).collect(Collectors.toSet())));
                }
            });
            config.routes.beforeMatched(access::check);
            config.routes.beforeMatched(LeadApi::checkPathParams);
            config.routes.post("/v1/leads", this::submitLead, Role.SELLER);
            config.routes.get("/v1/leads/{id}", this::leadStatus, Role.SELLER, Role.BUYER, Role.ANALYST);
            config.routes.get("/health", this::health);
            config.routes.get("/openapi.json", LeadApi::openApi);
            if (reports != null) {
                config.routes.get("/v1/reports/{dimension}", this::report, Role.SELLER, Role.BUYER, Role.ANALYST);
            }
            if (dashboard != null) {
                dashboard.mount(config);
            }
            if (forms != null) {
                forms.mount(config, submitter);
            }
            if (whatIf != null) {
                whatIf.mount(config);
            }
            if (operations != null) {
                OpsRoutes.mount(config.routes, operations.metrics(), operations.health());
            }
            if (admin != null) {
                config.routes.put("/v1/admin/buyers/{id}", admin::putBuyer, Role.ADMIN);
                config.routes.put("/v1/admin/campaigns/{id}", admin::putCampaign, Role.ADMIN);
                config.routes.get("/v1/admin/buyers", admin::listBuyers, Role.ADMIN);
                config.routes.delete("/v1/admin/buyers/{id}", admin::deleteBuyer, Role.ADMIN);
                config.routes.delete("/v1/admin/campaigns/{id}", admin::deleteCampaign, Role.ADMIN);
                config.routes.post("/v1/admin/suppressions", admin::suppress, Role.ADMIN);
                config.routes.post("/v1/admin/suppressions/import", admin::importSuppressions, Role.ADMIN);
                config.routes.post("/v1/admin/keys", admin::createKey, Role.ADMIN);
                config.routes.get("/v1/admin/keys", admin::listKeys, Role.ADMIN);
                config.routes.delete("/v1/admin/keys/{id}", admin::revokeKey, Role.ADMIN);
                config.routes.post("/v1/optouts", admin::optOut, Role.BUYER, Role.SELLER, Role.PRIVACY);
            }
            if (privacy != null) {
                config.routes.post("/v1/privacy/deletions", privacy::requestDeletion, Role.PRIVACY);
                config.routes.get("/v1/privacy/deletions/{id}", privacy::deletionStatus, Role.PRIVACY);
                config.routes.get("/v1/privacy/disclosures", privacy::disclosures, Role.PRIVACY);
            }
            if (postbacks != null) {
                config.routes.post("/v1/postbacks", postbacks::post, Role.BUYER);
                // No key: a platform that only fires URLs signs them with the buyer's postback secret.
                config.routes.get("/v1/postbacks/{buyerId}", postbacks::signed);
                config.routes.get("/v1/postbacks/{leadId}/{type}", postbacks::status, Role.BUYER, Role.SELLER, Role.ANALYST);
                config.routes.post("/v1/postbacks/{leadId}/return/review", postbacks::review, Role.SELLER);
            }
            config.routes.exception(AccessDenied.class, (e, ctx) -> denied(e, ctx));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> httpError(e, ctx));
            config.routes.exception(Exception.class, (e, ctx) -> unexpected(e, ctx));
        });
        if (!access.required()) {
            log.warn("HTTP API keys are not checked ({}=false): every caller is served as an admin",
                    HttpApiConfig.AUTH_REQUIRED);
        }
        server.start("0.0.0.0", requestedPort);
        return this;
    }

    /** Every route the server registered, in the order it did (empty before {@link #start()}). */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** The whole API described as OpenAPI 3, open to everyone: it names routes and roles, never data. */
    private static void openApi(Context ctx) throws IOException {
        try (InputStream document = LeadApi.class.getClassLoader().getResourceAsStream(OPENAPI_RESOURCE)) {
            if (document == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the classpath");
            }
            ctx.status(200).contentType("application/json").result(document.readAllBytes());
        }
    }

    /** HTTPS only, on the requested port: Javalin adds no plain connector when one is given. */
    private ServerConnector httpsConnector(org.eclipse.jetty.server.Server jetty, HttpConfiguration http,
                                           HttpApiConfig.Tls keystore) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(keystore.keystore().toAbsolutePath().toString());
        ssl.setKeyStorePassword(keystore.password().value());
        ssl.setKeyStoreType(keystore.type());
        HttpConfiguration https = new HttpConfiguration(http);
        // The certificate names the service, not necessarily the address a probe or peer dials.
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(jetty,
                new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
        connector.setHost("0.0.0.0");
        connector.setPort(requestedPort);
        return connector;
    }

    /** The scheme this API answers on: {@code https} with a keystore. */
    public String scheme() {
        return tls.isPresent() ? "https" : "http";
    }

    /** The port actually bound; only meaningful after {@link #start()}. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.port();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    private void submitLead(Context ctx) {
        Optional<byte[]> body = RequestBodies.bounded(ctx, MAX_BODY_BYTES);
        if (body.isEmpty()) {
            respond(ctx, 413, error("payload_too_large").put("maxBytes", MAX_BODY_BYTES));
            return;
        }
        long now = System.currentTimeMillis();
        IntakeResult read = reader.read(body.get(), now);
        if (!read.ok()) {
            boolean malformed = read.errors().stream().anyMatch(e -> ErrorCodes.MALFORMED_JSON.equals(e.getCode()));
            respond(ctx, 400, invalid(malformed ? "malformed_json" : "invalid_lead", read));
            return;
        }
        String source = read.lead().getSourceId() == null ? null : read.lead().getSourceId().strip();
        if (source != null && !AccessRules.maySubmit(Access.caller(ctx), source)) {
            throw AccessDenied.forbidden(); // another seller's source: nothing is checked, nothing written
        }
        List<FieldError> errors = normalizer.normalize(read.lead(), now).errors();
        Optional<HostInfo> judge = errors.isEmpty() && forwarding != null
                ? forwarding.judgeOf(ctx, read.lead()) : Optional.empty();
        if (judge.isPresent()) {
            ctx.future(() -> forwarding.forward(ctx, judge.get(), body.get(), () -> submitter.answer(ctx, read.lead()),
                    refusal -> submitter.refuse(ctx, read.lead(), refusal)));
            return;
        }
        submitter.submit(ctx, read.lead(), errors);
    }

    private void leadStatus(Context ctx) {
        String id = ctx.pathParam("id");
        Optional<LeadStatus> status;
        try {
            status = lookup.find(id);
        } catch (LeadOwnedElsewhere elsewhere) {
            JsonResponses.servedElsewhere(ctx, elsewhere.baseUrl() + "/v1/leads/" + id);
            return;
        } catch (RuntimeException e) {
            // Store not ready or partition moving: the answer exists, just not here and now.
            log.debug("status lookup for {} failed: {}", id, e.toString());
            respond(ctx, 503, error("unavailable").put("retryable", true));
            return;
        }
        if (status == null || status.isEmpty()) {
            respond(ctx, 404, error("not_found"));
            return;
        }
        Caller caller = Access.caller(ctx);
        if (!AccessRules.maySee(caller, status.get())) {
            throw AccessDenied.forbidden();
        }
        respond(ctx, 200, LeadStatusJson.of(status.get(), AccessRules.timelineView(caller, status.get())));
    }

    private void report(Context ctx) {
        ReportRequest request;
        try {
            request = ReportRequest.parse(ctx.pathParam("dimension"), ctx.queryParam("bucket"),
                    ctx.queryParam("from"), ctx.queryParam("to"), Instant.now());
        } catch (ReportRequest.BadParameter bad) {
            respond(ctx, 400, badParameter(bad.parameter(), bad.getMessage()));
            return;
        }
        ReportDimension dimension = request.dimension();
        for (String parameter : ctx.queryParamMap().keySet()) {
            if (!REPORT_PARAMETERS.contains(parameter) && !parameter.equals(dimension.path())) {
                respond(ctx, 400, badParameter(parameter.length() > 64 ? parameter.substring(0, 64) + "..." : parameter,
                        "unknown parameter; known: " + String.join(", ", REPORT_PARAMETERS) + ", " + dimension.path()));
                return;
            }
        }
        Optional<InstanceFanOut.Share> share;
        try {
            share = InstanceFanOut.share(ctx.queryParam(InstanceFanOut.SCOPE), ctx.queryParam(InstanceFanOut.STANDBY));
        } catch (ReportRequest.BadParameter bad) {
            respond(ctx, 400, badParameter(bad.parameter(), bad.getMessage()));
            return;
        }
        // A party asking for a whole dimension gets its own rows; asking for another's by name is refused.
        Caller caller = Access.caller(ctx);
        Predicate<String> rows = AccessRules.reportRows(caller, dimension);
        // ?campaign=camp-auto (repeatable): that dimension's rows for those values only, totals of them.
        List<String> named = ctx.queryParams(dimension.path());
        for (String value : named) {
            if (value.isEmpty() || value.length() > MAX_PATH_PARAM_LENGTH) {
                respond(ctx, 400, badParameter(dimension.path(), "each " + dimension.path() + " 1 to "
                        + MAX_PATH_PARAM_LENGTH + " characters"));
                return;
            }
            if (!rows.test(value)) {
                throw AccessDenied.forbidden();
            }
        }
        if (!named.isEmpty()) {
            rows = Set.copyOf(named)::contains;
        }
        try {
            if (share.isPresent()) {
                InstanceFanOut.Part<ReportTable> part = reports.part(request, share.get());
                ObjectNode body = ReportJson.of(only(part.value(), rows));
                part.partitions().forEach(body.putArray("partitions")::add);
                respond(ctx, 200, body);
                return;
            }
            InstanceFanOut.Answer<ReportTable> answer = reports.report(request, Access.credentials(ctx).orElse(null));
            ReportTable table = only(answer.value(), rows);
            String accept = ctx.header("Accept");
            if (accept != null && accept.contains("text/csv")) {
                answer.mark(ctx, null);
                ctx.status(200).contentType("text/csv; charset=utf-8").result(ReportJson.csv(table));
            } else {
                ObjectNode body = ReportJson.withTotals(table);
                answer.mark(ctx, body);
                respond(ctx, 200, body);
            }
        } catch (ReportsUnavailable e) {
            log.debug("report {} unavailable: {}", request, e.getMessage());
            ctx.header("Retry-After", Long.toString(REPORT_RETRY_AFTER_SECONDS));
            respond(ctx, 503, error("unavailable").put("retryable", true).put("reason", e.getMessage()));
        }
    }

    /** The rows of {@code table} whose dimension value passes {@code rows}. */
    private static ReportTable only(ReportTable table, Predicate<String> rows) {
        ReportTable kept = new ReportTable(table.request());
        table.rows().forEach((cell, row) -> {
            if (rows.test(cell.value())) {
                kept.add(cell, row);
            }
        });
        return kept;
    }

    /**
     * Every path parameter is an id or a name: refused, naming it, when it is empty or longer than
     * {@value #MAX_PATH_PARAM_LENGTH}, holds a slash, backslash or control character, or is {@code .} or
     * {@code ..} (a decoded {@code %2e%2e%2f} must never reach a store or a topic as a key).
     */
    private static void checkPathParams(Context ctx) {
        for (Map.Entry<String, String> param : ctx.pathParamMap().entrySet()) {
            String value = param.getValue();
            boolean bad = value.isEmpty() || value.length() > MAX_PATH_PARAM_LENGTH || value.equals(".")
                    || value.equals("..") || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '/' || c == '\\');
            if (bad) {
                throw new BadPathParameter(param.getKey());
            }
        }
    }

    /** A path parameter that cannot be an id; answered 400 naming it. */
    private static final class BadPathParameter extends HttpResponseException {
        private final String parameter;

        BadPathParameter(String parameter) {
            super(400, "bad path parameter " + parameter);
            this.parameter = parameter;
        }
    }

    private void health(Context ctx) {
        Map<String, Object> report;
        try {
            report = health.get();
        } catch (RuntimeException e) {
            log.warn("health check failed: {}", e.toString());
            respond(ctx, 503, error("unavailable").put("retryable", true));
            return;
        }
        respond(ctx, 200, MAPPER.valueToTree(report == null ? Map.of() : report));
    }

    private static ObjectNode invalid(String error, IntakeResult result) {
        ObjectNode json = error(error);
        json.set("errors", LeadStatusJson.errors(result.errors()));
        return json;
    }

    private static ObjectNode error(String error) {
        return JSON.objectNode().put("error", error);
    }

    private static ObjectNode badParameter(String parameter, String message) {
        return error("invalid_parameter").put("parameter", parameter).put("message", message);
    }

    /** A refusal: its code and nothing else (401 says how to authenticate, 503 when to come back). */
    private static void denied(AccessDenied e, Context ctx) {
        if (e.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        } else if (e.status() == 503) {
            ctx.header("Retry-After", Long.toString(Access.KEYS_LOADING_RETRY_SECONDS));
        }
        respond(ctx, e.status(), error(e.error()));
    }

    private static void httpError(HttpResponseException e, Context ctx) {
        if (e instanceof BadPathParameter bad) {
            respond(ctx, 400, badParameter(bad.parameter, bad.parameter + ": 1 to " + MAX_PATH_PARAM_LENGTH
                    + " characters, no slash, backslash or control character, not . or .."));
            return;
        }
        int status = e.getStatus();
        String error = switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            default -> status >= 500 ? "internal_error" : "http_" + status;
        };
        respond(ctx, status, error(error));
    }

    private static void unexpected(Exception e, Context ctx) {
        log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
        respond(ctx, 500, error("internal_error"));
    }

    private static void respond(Context ctx, int status, JsonNode body) {
        JsonResponses.respond(ctx, status, body);
    }
}
