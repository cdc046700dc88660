package io.leadmkt.streams.returns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PostbackSignatureTest {

    @Test
    void shouldSignTheParametersSortedByNameWithoutTheSignature() {
        Map<String, String> parameters = Map.of("type", "RETURN", "leadId", "L1", "reason", "BAD_PHONE", "sig", "ignored");

        assertThat(PostbackSignature.canonical(parameters)).isEqualTo("leadId=L1&reason=BAD_PHONE&type=RETURN");
        // openssl: printf 'leadId=L1&reason=BAD_PHONE&type=RETURN' | openssl dgst -sha256 -hmac key
        assertThat(PostbackSignature.sign("key", parameters))
                .isEqualTo("fb59eb68e00e19c1d6925432fbb7872ad43d3c9eb95cb0caf65ad2800ac63817");
    }

    @Test
    void shouldVerifyOnlyTheSameParametersUnderTheSameSecret() {
        Map<String, String> parameters = Map.of("type", "CONVERSION", "leadId", "L1");
        String signature = PostbackSignature.sign("secret-one", parameters);

        assertThat(PostbackSignature.verify("secret-one", parameters, signature)).isTrue();
        assertThat(PostbackSignature.verify("secret-one", parameters, signature.toUpperCase())).isTrue();
        assertThat(PostbackSignature.verify("secret-two", parameters, signature)).isFalse();
        assertThat(PostbackSignature.verify("secret-one", Map.of("type", "RETURN", "leadId", "L1"), signature)).isFalse();
        assertThat(PostbackSignature.verify(null, parameters, signature)).isFalse();
        assertThat(PostbackSignature.verify("secret-one", parameters, null)).isFalse();
    }
}
