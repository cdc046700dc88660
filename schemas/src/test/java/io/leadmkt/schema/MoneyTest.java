package io.leadmkt.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    @ParameterizedTest
    @CsvSource({"12.5,1250", "12.50,1250", "$12.50,1250", "7,700", "0,0", "0.01,1", "'$1,234.00',123400", "'  3.10 ',310", ".5,50", "12.,1200"})
    void shouldParseToExactCentsWhenAmountIsPlain(String text, long cents) {
        assertThat(Money.parseCents(text)).contains(cents);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "-3", "1e3", "12.345", "", "abc", "$", "1,23", "12.5.1", "Infinity", "0x10"})
    void shouldRefuseWhenAmountIsNotPlainOrHasSubCentPrecision(String text) {
        assertThat(Money.parseCents(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"0,0.00", "1,0.01", "1250,12.50", "123400,1234.00", "-5,-0.05"})
    void shouldFormatTwoDecimalsWhenFormattingCents(long cents, String text) {
        assertThat(Money.format(cents)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"12.5,1250", "0.10,10", "3,300"})
    void shouldConvertExactDecimalWhenNumberIsExactToTheCent(String amount, long cents) {
        assertThat(Money.toCents(new BigDecimal(amount))).contains(cents);
    }

    @ParameterizedTest
    @ValueSource(strings = {"12.345", "-1", "0.001"})
    void shouldRefuseDecimalWhenNegativeOrFinerThanCents(String amount) {
        assertThat(Money.toCents(new BigDecimal(amount))).isEqualTo(Optional.empty());
    }
}
