package com.trueftp.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * The addresses a webhook may never reach on AWS: this host, private and shared networks, link-local (the
 * instance metadata service among them), multicast, reserved, and the IPv6 forms that lead back to them
 * (an IPv4-mapped address is judged by the IPv4 address it carries; NAT64 and 6to4 are refused outright).
 * Checked against every address a name resolves to, and again against the address connected to.
 */
public final class TargetAddresses {
    @SuppressWarnings("ArrayRecordComponent") // constant, never compared
    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final List<Block> REFUSED = List.of(
            block("0.0.0.0", 8), block("10.0.0.0", 8), block("100.64.0.0", 10), block("127.0.0.0", 8),
            block("169.254.0.0", 16), block("172.16.0.0", 12), block("192.0.0.0", 24), block("192.168.0.0", 16),
            block("198.18.0.0", 15), block("224.0.0.0", 4), block("240.0.0.0", 4),
            block("::", 128), block("::1", 128), block("64:ff9b::", 96), block("2002::", 16), block("fc00::", 7),
            block("fe80::", 10), block("ff00::", 8));

    private TargetAddresses() {
    }

    /** Whether a webhook must not connect to this address. */
    public static boolean refused(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && isIpv4Mapped(bytes)) {
            bytes = Arrays.copyOfRange(bytes, 12, 16); // ::ffff:a.b.c.d is a.b.c.d
        }
        byte[] judged = bytes;
        return REFUSED.stream().anyMatch(block -> block.contains(judged));
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private static Block block(String network, int prefix) {
        try {
            InetAddress address = InetAddress.getByName(network); // a literal: no lookup
            if (!(address instanceof Inet4Address) && !(address instanceof Inet6Address)) {
                throw new IllegalArgumentException(network);
            }
            return new Block(address.getAddress(), prefix);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + network, e);
        }
    }
}
