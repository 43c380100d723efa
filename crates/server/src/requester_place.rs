//! Where a QR login request comes from, for the confirm page: the region of the browser's address, looked up
//! offline in the registries' allocation data that `iptocc` ships, and the address with its host part hidden.
//! A phone shown a code by a phishing page can only tell when it sees where the request really comes from.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The region shown for a loopback address (a server on the same machine, as in development).
const THIS_MACHINE: &str = "本机";
/// The region shown for a private, link-local or carrier-grade NAT address.
const LOCAL_NETWORK: &str = "局域网";
/// The region shown for a public address the allocation data does not know.
const UNKNOWN: &str = "未知地区";

/// A request's origin as the confirm page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RequesterPlace {
    /// The address with its host part hidden: `203.0.113.*`, or the first 48 bits of an IPv6 address.
    pub(crate) masked_ip: String,
    /// The region's name in Chinese ("中国", "日本"), or "本机", "局域网", "未知地区".
    pub(crate) region: String,
    /// The region's ISO 3166-1 alpha-2 code, when it is a country or territory.
    pub(crate) region_code: Option<String>,
}

/// The place of the address `ip` was recorded as; `None` when it is not an address.
pub(crate) fn of(ip: &str) -> Option<RequesterPlace> {
    let address = match ip.parse::<IpAddr>().ok()? {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
    let (region, region_code) = if address.is_loopback() {
        (THIS_MACHINE.to_owned(), None)
    } else if is_local(address) {
        (LOCAL_NETWORK.to_owned(), None)
    } else {
        match iptocc::country_code(address) {
            Some(code) => (country_name(code), Some(code.to_owned())),
            None => (UNKNOWN.to_owned(), None),
        }
    };
    Some(RequesterPlace {
        masked_ip: masked(address),
        region,
        region_code,
    })
}

/// Whether `address` belongs to a network of its own rather than to a region.
fn is_local(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => {
            v4.is_private() || v4.is_link_local() || v4.is_unspecified() || is_shared(v4)
        }
        IpAddr::V6(v6) => v6.is_unspecified() || v6.is_unique_local() || v6.is_unicast_link_local(),
    }
}

/// Carrier-grade NAT space (100.64.0.0/10, RFC 6598).
fn is_shared(v4: Ipv4Addr) -> bool {
    let [first, second, ..] = v4.octets();
    first == 100 && (second & 0b1100_0000) == 64
}

/// The address without its host part.
fn masked(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.*")
        }
        IpAddr::V6(v6) => {
            let [a, b, c, ..] = v6.segments();
            let network = Ipv6Addr::new(a, b, c, 0, 0, 0, 0, 0);
            format!("{network}*")
        }
    }
}

/// The Chinese name of the country with ISO code `code`, or the code when none is known.
fn country_name(code: &str) -> String {
    keshvar::Alpha2::try_from(code)
        .ok()
        .and_then(|alpha2| {
            let country = alpha2.to_country();
            ["zh_CN", "zh"].into_iter().find_map(|language| {
                country
                    .translations()
                    .get(language)
                    .map(|name| (*name).to_owned())
            })
        })
        .unwrap_or_else(|| code.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(ip: &str) -> (String, String, Option<String>) {
        let place = of(ip).expect("an address");
        (place.masked_ip, place.region, place.region_code)
    }

    #[test]
    fn public_addresses_get_their_country_in_chinese_and_lose_their_host_part() {
        assert_eq!(
            place("114.114.114.114"),
            ("114.114.114.*".into(), "中国".into(), Some("CN".into()))
        );
        assert_eq!(
            place("1.0.16.1"),
            ("1.0.16.*".into(), "日本".into(), Some("JP".into()))
        );
        assert_eq!(
            place("2001:4860:4860::8888"),
            ("2001:4860:4860::*".into(), "美国".into(), Some("US".into()))
        );
    }

    #[test]
    fn an_ipv4_mapped_address_is_read_as_ipv4() {
        assert_eq!(
            place("::ffff:114.114.114.114"),
            ("114.114.114.*".into(), "中国".into(), Some("CN".into()))
        );
    }

    #[test]
    fn own_networks_are_named_as_such() {
        assert_eq!(place("127.0.0.1").1, THIS_MACHINE);
        assert_eq!(place("::1").1, THIS_MACHINE);
        for local in [
            "10.1.2.3",
            "192.168.0.9",
            "172.16.5.4",
            "100.64.0.1",
            "fd00::1",
            "fe80::1",
        ] {
            assert_eq!(place(local).1, LOCAL_NETWORK, "{local}");
        }
        assert_eq!(place("192.168.0.9").0, "192.168.0.*");
    }

    #[test]
    fn an_unallocated_public_address_is_an_unknown_region() {
        // TEST-NET-3 is documentation space, allocated to no registry's member.
        assert_eq!(
            place("203.0.113.9"),
            ("203.0.113.*".into(), UNKNOWN.into(), None)
        );
    }

    #[test]
    fn what_is_not_an_address_has_no_place() {
        assert_eq!(of("not an address"), None);
        assert_eq!(of(""), None);
    }
}
