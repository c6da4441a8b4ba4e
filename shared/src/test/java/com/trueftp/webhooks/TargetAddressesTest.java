package com.trueftp.webhooks;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** The refused-address table, its edges, and the IPv6 forms that lead back into it. */
class TargetAddressesTest {
    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "0.255.255.255", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.255",
            "127.0.0.1", "127.255.255.254", "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.8",
            "192.168.1.1", "198.18.0.1", "198.19.255.255", "224.0.0.1", "239.255.255.255", "240.0.0.1",
            "255.255.255.255", "::", "::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.1.2.3",
            "64:ff9b::a9fe:a9fe", "64:ff9b::8.8.8.8", "2002:a9fe:a9fe::1", "fc00::1", "fd00:ec2::254", "fe80::1",
            "febf::1", "ff02::1"})
    void refusesEveryAddressOfTheTable(String address) throws Exception {
        assertThat(TargetAddresses.refused(InetAddress.getByName(address))).as(address).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0",
            "192.0.1.1", "192.169.0.1", "198.17.255.255", "198.20.0.0", "223.255.255.255", "::ffff:8.8.8.8",
            "2001:4860:4860::8888", "2606:4700:4700::1111", "fec0::1", "64:ff9b:1::1"})
    void allowsPublicAddressesJustOutsideTheBlocks(String address) throws Exception {
        assertThat(TargetAddresses.refused(InetAddress.getByName(address))).as(address).isFalse();
    }
}
