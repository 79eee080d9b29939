package dev.tidings.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private final ClientAddress addresses = new ClientAddress(List.of("10.0.0.5", "192.168.0.0/16", "fd00::/8"));

    @Test
    void anUntrustedPeersForwardedForIsIgnored() {
        assertThat(addresses.of("203.0.113.9", "198.51.100.1")).isEqualTo("203.0.113.9");
        assertThat(addresses.of("10.0.0.6", "198.51.100.1")).isEqualTo("10.0.0.6");
    }

    @Test
    void aTrustedProxyNamesTheClient() {
        assertThat(addresses.of("10.0.0.5", "198.51.100.1")).isEqualTo("198.51.100.1");
        assertThat(addresses.of("10.0.0.5", null)).isEqualTo("10.0.0.5");
        assertThat(addresses.of("fd12::1", "2001:db8::7")).isEqualTo("2001:db8::7");
    }

    @Test
    void theRightMostAddressThatIsNotAProxyIsTheClientWhateverTheClientPutLeftOfIt() {
        assertThat(addresses.of("10.0.0.5", "1.2.3.4, 198.51.100.1, 192.168.3.3")).isEqualTo("198.51.100.1");
        assertThat(addresses.of("10.0.0.5", "192.168.1.1, 192.168.3.3")).isEqualTo("192.168.1.1");
    }

    @Test
    void garbageEndsTheChainAtTheLastAddressBelievedSoFar() {
        assertThat(addresses.of("10.0.0.5", "evil.example, 192.168.3.3")).isEqualTo("192.168.3.3");
        assertThat(addresses.of("10.0.0.5", "not an address")).isEqualTo("10.0.0.5");
        assertThat(addresses.of("10.0.0.5", "")).isEqualTo("10.0.0.5");
    }

    @Test
    void aBadSettingIsRefusedWithItsName() {
        assertThatThrownBy(() -> new ClientAddress(List.of("proxy.internal")))
                .hasMessageContaining("tidings.limits.trusted-proxies").hasMessageContaining("proxy.internal");
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33"))).hasMessageContaining("prefix");
    }
}
