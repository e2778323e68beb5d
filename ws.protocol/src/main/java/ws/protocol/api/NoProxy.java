package ws.protocol.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A {@code NO_PROXY} list, as curl reads it: comma-separated entries, {@code *} for every host, a
 * domain (its subdomains too; a leading {@code .} or {@code *.} changes nothing), an IP address or a
 * CIDR block, each optionally with {@code :port}. Host names are compared, never resolved.
 */
record NoProxy(boolean all, List<Entry> entries) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** One entry: a domain or an address block, and a port (0: any). */
    record Entry(String domain, byte[] network, int prefix, int port) {
    }

    static NoProxy parse(String list) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : list.split("[,\\s]+")) {
            String entry = raw.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                return new NoProxy(true, List.of());
            }
            int port = 0;
            if (entry.startsWith("[")) {  // [v6] or [v6]:port
                int close = entry.indexOf(']');
                if (close < 0) {
                    continue;
                }
                port = portOf(entry.substring(close + 1));
                entry = entry.substring(1, close);
            } else if (entry.indexOf(':') == entry.lastIndexOf(':') && entry.indexOf(':') >= 0) {  // host:port
                port = portOf(entry.substring(entry.indexOf(':')));
                entry = entry.substring(0, entry.indexOf(':'));
            }
            if (port < 0) {
                continue;  // an unreadable port: the entry matches nothing, as an unknown host would
            }
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            byte[] network = literal(address);
            if (network != null) {
                int prefix = network.length * 8;
                if (slash >= 0) {
                    try {
                        prefix = Integer.parseInt(entry.substring(slash + 1));
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    if (prefix < 0 || prefix > network.length * 8) {
                        continue;
                    }
                }
                entries.add(new Entry(null, network, prefix, port));
            } else if (slash < 0) {
                String domain = entry.startsWith("*.") ? entry.substring(2) : entry.startsWith(".") ? entry.substring(1) : entry;
                if (!domain.isEmpty()) {
                    entries.add(new Entry(domain, null, 0, port));
                }
            }
        }
        return new NoProxy(false, List.copyOf(entries));
    }

    /** Whether a connection to {@code host} (a name or an address literal, IPv6 without brackets) on {@code port} skips the proxy. */
    boolean matches(String host, int port) {
        if (all) {
            return true;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        byte[] address = literal(name);
        for (Entry entry : entries) {
            if (entry.port() != 0 && entry.port() != port) {
                continue;
            }
            if (entry.domain() != null ? address == null && (name.equals(entry.domain()) || name.endsWith("." + entry.domain()))
                    : address != null && inBlock(address, entry.network(), entry.prefix())) {
                return true;
            }
        }
        return false;
    }

    private static boolean inBlock(byte[] address, byte[] network, int prefix) {
        if (address.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of an IPv4 or IPv6 literal, or null for a host name (never a DNS lookup). */
    private static byte[] literal(String host) {
        if (!IPV4.matcher(host).matches() && host.indexOf(':') < 0) {
            return null;
        }
        try {
            return InetAddress.getByName(host).getAddress();  // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The port after a colon ({@code ":8080"}), 0 for none, -1 when unreadable. */
    private static int portOf(String suffix) {
        if (suffix.isEmpty()) {
            return 0;
        }
        try {
            int port = Integer.parseInt(suffix.substring(1));
            return suffix.charAt(0) == ':' && port > 0 && port < 65536 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
