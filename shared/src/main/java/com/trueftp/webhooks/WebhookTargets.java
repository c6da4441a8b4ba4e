package com.trueftp.webhooks;

import com.trueftp.core.Config;
import com.trueftp.core.InvalidInputException;

import javax.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Which URLs a webhook may have. On AWS: absolute https URLs whose host is, and resolves only to, public
 * addresses (the dispatcher checks again on every attempt, against the address it connects to). The local
 * runtime allows http and any address ({@code WEBHOOK_ALLOW_PRIVATE_TARGETS}): receivers there run on the
 * same laptop.
 */
public class WebhookTargets {
    public static final int MAX_URL_BYTES = 2048;

    private final boolean allowPrivate;
    private final WebhookSender.Resolver resolver;

    @Inject
    public WebhookTargets(Config config) {
        this(config.webhookAllowPrivateTargets(), InetAddress::getAllByName);
    }

    WebhookTargets(boolean allowPrivate, WebhookSender.Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    public boolean allowPrivate() {
        return allowPrivate;
    }

    /** The URL, checked. @throws InvalidInputException saying what is wrong with it */
    public URI check(String url) {
        if (url.getBytes(StandardCharsets.UTF_8).length > MAX_URL_BYTES) {
            throw new InvalidInputException("url must be at most " + MAX_URL_BYTES + " bytes");
        }
        if (!url.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidInputException("url must be ASCII without spaces (percent-encode the rest)");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidInputException("url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowPrivate && scheme.equals("http"))) {
            throw new InvalidInputException(allowPrivate ? "url must be an absolute http or https URL"
                    : "url must be an absolute https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidInputException("url must not contain a user name or password");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidInputException("url must name a host");
        }
        if (!allowPrivate) {
            checkAddresses(uri.getHost());
        }
        return uri;
    }

    private void checkAddresses(String host) {
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new InvalidInputException("url host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            if (TargetAddresses.refused(address)) {
                throw new InvalidInputException("url host " + host + " is or resolves to a refused address ("
                        + address.getHostAddress() + "): webhooks reach public internet addresses only");
            }
        }
    }
}
