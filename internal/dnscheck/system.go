package dnscheck

import (
	"bufio"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
)

// resolvConf is where Unix systems list their DNS servers.
const resolvConf = "/etc/resolv.conf"

// SystemServer returns the address ("host:53") of the first name server
// /etc/resolv.conf lists. Systems without that file (Windows) must name a
// server explicitly.
func SystemServer() (string, error) {
	b, err := os.ReadFile(resolvConf)
	if err != nil {
		return "", fmt.Errorf("find the system's DNS server: %w", err)
	}
	servers := nameservers(string(b))
	if len(servers) == 0 {
		return "", fmt.Errorf("find the system's DNS server: %s lists no nameserver", resolvConf)
	}
	return servers[0], nil
}

// nameservers returns the "nameserver" entries of resolv.conf text as
// host:port addresses on port 53, in file order. Entries that are not IP
// addresses are left out; an IPv6 zone ("fe80::1%eth0") is kept.
func nameservers(text string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || f[0] != "nameserver" {
			continue
		}
		if _, err := netip.ParseAddr(f[1]); err == nil {
			out = append(out, net.JoinHostPort(f[1], "53"))
		}
	}
	return out
}
