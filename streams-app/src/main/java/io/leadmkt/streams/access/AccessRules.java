package io.leadmkt.streams.access;

import io.javalin.security.RouteRole;
import io.leadmkt.schema.AuditEvent;
import io.leadmkt.schema.AuditType;
import io.leadmkt.schema.LeadStatus;
import io.leadmkt.schema.OutcomeStatus;
import io.leadmkt.streams.report.ReportDimension;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Who may do what with whose data: every decision of the HTTP API's access control, as pure
 * functions of the caller and what it asks for. An admin may do everything; an analyst may read
 * everything; a seller and a buyer only what concerns the parties their key is bound to. What each
 * sees of the dashboard's live auctions is {@code dashboard.AuctionView}'s, beside the shape it cuts.
 */
public final class AccessRules {

    /** The QUALIFIED audit detail naming the lead's source: who sold an unfinished lead. */
    public static final String SOURCE_DETAIL = "sourceId";

    private AccessRules() {
    }

    /** Whether a route serving {@code roles} serves the caller at all (its parties are checked after). */
    public static boolean admits(Set<? extends RouteRole> roles, Caller caller) {
        return caller.role() == Role.ADMIN || roles.contains(caller.role());
    }

    /** {@code POST /v1/leads}: a seller for one of its own sources (or an admin). */
    public static boolean maySubmit(Caller caller, String sourceId) {
        return switch (caller.role()) {
            case ADMIN -> true;
            case SELLER -> sourceId != null && caller.sourceIds().contains(sourceId);
            default -> false;
        };
    }

    /**
     * {@code GET /v1/leads/{id}}: the lead's seller (its source is one of the key's), the buyer that
     * bought it (a buyer only pinged, or posted to and rejecting, may not), an analyst or an admin.
     */
    public static boolean maySee(Caller caller, LeadStatus status) {
        return switch (caller.role()) {
            case ADMIN, ANALYST -> true;
            case SELLER -> sourceOf(status).filter(caller.sourceIds()::contains).isPresent();
            case BUYER -> status.getOutcome() != null && status.getOutcome().getStatus() == OutcomeStatus.SOLD
                    && Objects.equals(status.getOutcome().getBuyerId(), caller.buyerId());
            case PRIVACY -> false;
        };
    }

    /**
     * The lead's source: from its outcome or rejection once it has ended, before that from the
     * QUALIFIED step of its timeline; empty while nothing says.
     */
    static Optional<String> sourceOf(LeadStatus status) {
        if (status.getOutcome() != null && status.getOutcome().getSourceId() != null) {
            return Optional.of(status.getOutcome().getSourceId());
        }
        if (status.getRejection() != null && status.getRejection().getSourceId() != null) {
            return Optional.of(status.getRejection().getSourceId());
        }
        if (status.getTimeline() == null) {
            return Optional.empty();
        }
        return status.getTimeline().stream()
                .filter(e -> e.getType() == AuditType.QUALIFIED && e.getDetail() != null)
                .map(AccessRules::sourceDetail)
                .filter(Objects::nonNull)
                .findFirst();
    }

    private static String sourceDetail(AuditEvent event) {
        Object source = event.getDetail().get(SOURCE_DETAIL);
        return source == null ? null : source.toString();
    }

    /**
     * What a caller sees of the buyers in a lead's timeline ({@code GET /v1/leads/{id}}), by the rule
     * the dashboard's live auctions follow ({@code dashboard.AuctionView}):
     * <ul>
     *   <li>a buyer: the events and answers about itself only (other buyers' bids are theirs);</li>
     *   <li>a seller: every step and every answer's status and price, but by name only the buyer the
     *       lead was sold to (the consumer's consent had to name it); who else was pinged, bid,
     *       was posted or was capped is each buyer's business;</li>
     *   <li>an analyst or admin: everything.</li>
     * </ul>
     */
    public static TimelineView timelineView(Caller caller, LeadStatus status) {
        return switch (caller.role()) {
            case BUYER -> new TimelineView(buyerId -> Objects.equals(buyerId, caller.buyerId()), buyerId -> buyerId,
                    true);
            case SELLER -> {
                String soldTo = status.getOutcome() == null ? null : status.getOutcome().getBuyerId();
                yield new TimelineView(buyerId -> true, buyerId -> Objects.equals(buyerId, soldTo) ? buyerId : null,
                        false);
            }
            case ADMIN, ANALYST, PRIVACY -> TimelineView.WHOLE;
        };
    }

    /**
     * How one caller's view of a timeline is cut.
     *
     * @param shows       whether events and answers about this buyer (null: the lead's own steps) are listed
     * @param named       the buyer id shown for a listed buyer (null: not named)
     * @param buyerDetail whether event details that list buyers ({@link #BUYER_LISTS}) are shown
     */
    public record TimelineView(Predicate<String> shows, java.util.function.UnaryOperator<String> named,
                               boolean buyerDetail) {
        /** Every event, every name. */
        public static final TimelineView WHOLE = new TimelineView(buyerId -> true, buyerId -> buyerId, true);
        /** The audit details whose values are lists of buyer ids (who was pinged, never answered, was capped). */
        public static final Set<String> BUYER_LISTS = Set.of("buyers", "unanswered", "capped");
    }

    /**
     * The report rows of {@code dimension} a caller sees, by their dimension value: a buyer its own
     * buyer rows, a seller its sources' rows (and their sub-ids'), an analyst or admin every row. A seller's or buyer's
     * view of any other dimension is empty: those rows are sums over everyone's leads.
     */
    public static Predicate<String> reportRows(Caller caller, ReportDimension dimension) {
        return switch (caller.role()) {
            case ADMIN, ANALYST -> value -> true;
            case BUYER -> dimension == ReportDimension.BUYER ? value -> Objects.equals(value, caller.buyerId())
                    : value -> false;
            case SELLER -> switch (dimension) {
                case SOURCE -> caller.sourceIds()::contains;
                case SUBID -> value -> {
                    String source = ReportDimension.sourceOfSubId(value);
                    return source != null && caller.sourceIds().contains(source);
                };
                default -> value -> false;
            };
            case PRIVACY -> value -> false;
        };
    }

    /**
     * {@code POST /v1/optouts}: who may report an opt-out in whose name ({@code buyer:<id>} or
     * {@code seller:<id>}, as the request names the reporter): a buyer as itself, a seller as one of
     * its sources, the privacy role and admins as anyone.
     */
    public static boolean mayReportOptOut(Caller caller, String reporter) {
        return switch (caller.role()) {
            case ADMIN, PRIVACY -> true;
            case BUYER -> Objects.equals(reporter, "buyer:" + caller.buyerId());
            case SELLER -> reporter != null && reporter.startsWith("seller:")
                    && caller.sourceIds().contains(reporter.substring("seller:".length()));
            case ANALYST -> false;
        };
    }
}
