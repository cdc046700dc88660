package io.leadmkt.streams.returns;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.CapPeriod;
import io.leadmkt.schema.PostbackStatus;
import io.leadmkt.schema.ReturnApproval;
import io.leadmkt.schema.ReturnPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReturnRulesTest {
    private static final long SOLD_AT = 1_795_000_000_000L;
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private static ReturnPolicy policy(Integer maxPercentBasisPoints, ReturnApproval approval, String... reasons) {
        return ReturnPolicy.newBuilder().setReasonCodes(List.of(reasons)).setWindowMs(72 * HOUR)
                .setMaxPercentBasisPoints(maxPercentBasisPoints).setPeriod(CapPeriod.MONTH).setApproval(approval).build();
    }

    private static ReturnRules.Verdict judge(ReturnPolicy policy, String reason, long at, long sales, long returns) {
        return ReturnRules.judgeReturn(policy, SOLD_AT, reason, at, sales, returns);
    }

    @Test
    void shouldAcceptAtOnceWhenEveryRuleHoldsAndApprovalIsAuto() {
        assertThat(judge(policy(1000, ReturnApproval.AUTO, "BAD_PHONE"), "BAD_PHONE", SOLD_AT + HOUR, 100, 3))
                .isEqualTo(new ReturnRules.Verdict(PostbackStatus.ACCEPTED, null));
    }

    @Test
    void shouldHoldForTheSellerWhenEveryRuleHoldsAndApprovalIsReview() {
        assertThat(judge(policy(null, ReturnApproval.REVIEW), "ANY", SOLD_AT + HOUR, 0, 0))
                .isEqualTo(new ReturnRules.Verdict(PostbackStatus.PENDING_REVIEW, null));
    }

    @Test
    void shouldRefuseWhenTheContractTakesNoReturns() {
        assertThat(judge(null, "BAD_PHONE", SOLD_AT + 1, 10, 0))
                .isEqualTo(new ReturnRules.Verdict(PostbackStatus.REFUSED, ReturnRules.NO_RETURN_POLICY));
    }

    @Test
    void shouldTakeAReturnOnTheWindowsLastMillisecondAndRefuseTheNext() {
        ReturnPolicy policy = policy(null, ReturnApproval.AUTO);
        assertThat(judge(policy, "X", SOLD_AT + 72 * HOUR, 0, 0).status()).isEqualTo(PostbackStatus.ACCEPTED);
        assertThat(judge(policy, "X", SOLD_AT + 72 * HOUR + 1, 0, 0))
                .isEqualTo(new ReturnRules.Verdict(PostbackStatus.REFUSED, ReturnRules.OUTSIDE_WINDOW));
    }

    @Test
    void shouldRefuseAReasonTheContractDoesNotNameWhenItNamesSome() {
        ReturnPolicy policy = policy(null, ReturnApproval.AUTO, "BAD_PHONE", "DUPLICATE");
        assertThat(judge(policy, "NOT_INTERESTED", SOLD_AT + HOUR, 0, 0))
                .isEqualTo(new ReturnRules.Verdict(PostbackStatus.REFUSED, ReturnRules.REASON_NOT_ALLOWED));
        assertThat(judge(policy, null, SOLD_AT + HOUR, 0, 0).reason()).isEqualTo(ReturnRules.REASON_NOT_ALLOWED);
        assertThat(judge(policy, "DUPLICATE", SOLD_AT + HOUR, 0, 0).status()).isEqualTo(PostbackStatus.ACCEPTED);
    }

    @Test
    void shouldTakeAnyReasonWhenTheContractNamesNone() {
        assertThat(judge(policy(null, ReturnApproval.AUTO), "WHATEVER", SOLD_AT + HOUR, 0, 0).status())
                .isEqualTo(PostbackStatus.ACCEPTED);
    }

    @Test
    void shouldRefuseTheReturnThatWouldTakeThePeriodPastItsMaximumShare() {
        ReturnPolicy tenPercent = policy(1000, ReturnApproval.AUTO);
        // 20 sales at 10 %: the second return reaches 10 % exactly, the third would pass it
        assertThat(judge(tenPercent, "X", SOLD_AT + HOUR, 20, 1).status()).isEqualTo(PostbackStatus.ACCEPTED);
        assertThat(judge(tenPercent, "X", SOLD_AT + HOUR, 20, 2))
                .isEqualTo(new ReturnRules.Verdict(PostbackStatus.REFUSED, ReturnRules.RETURN_LIMIT));
        assertThat(judge(tenPercent, "X", SOLD_AT + HOUR, 0, 0).reason()).as("no sales in the period")
                .isEqualTo(ReturnRules.RETURN_LIMIT);
    }

    @Test
    void shouldJudgeTheWindowBeforeTheReasonAndTheReasonBeforeTheLimit() {
        ReturnPolicy policy = policy(1000, ReturnApproval.REVIEW, "BAD_PHONE");
        assertThat(judge(policy, "OTHER", SOLD_AT + 73 * HOUR, 0, 0).reason()).isEqualTo(ReturnRules.OUTSIDE_WINDOW);
        assertThat(judge(policy, "OTHER", SOLD_AT + HOUR, 0, 0).reason()).isEqualTo(ReturnRules.REASON_NOT_ALLOWED);
        assertThat(judge(policy, "BAD_PHONE", SOLD_AT + HOUR, 0, 0).reason()).isEqualTo(ReturnRules.RETURN_LIMIT);
    }

    @Test
    void shouldTakeAConversionInsideItsWindowAndRefuseItAfter() {
        assertThat(ReturnRules.judgeConversion(HOUR, SOLD_AT, SOLD_AT + HOUR).status()).isEqualTo(PostbackStatus.ACCEPTED);
        assertThat(ReturnRules.judgeConversion(HOUR, SOLD_AT, SOLD_AT + HOUR + 1).reason())
                .isEqualTo(ReturnRules.OUTSIDE_WINDOW);
    }
}
