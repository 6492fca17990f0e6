"""Which continent a country (ISO 3166-1 alpha-2) is on, for the `returned_from` breakdown the
logframe asks for (Africa, Europe, other). Data, kept short: only the two continents named."""

AFRICA = frozenset(
    ["DZ", "AO", "BJ", "BW", "BF", "BI", "CV", "CM", "CF", "TD", "KM", "CG", "CD", "CI", "DJ", "EG", "GQ", "ER", "SZ", "ET", "GA", "GM", "GH", "GN", "GW", "KE", "LS", "LR", "LY", "MG", "MW", "ML", "MR", "MU", "YT", "MA", "MZ", "NA", "NE", "NG", "RE", "RW", "SH", "ST", "SN", "SC", "SL", "SO", "ZA", "SS", "SD", "TZ", "TG", "TN", "UG", "EH", "ZM", "ZW"])
EUROPE = frozenset(
    ["AL", "AD", "AT", "BY", "BE", "BA", "BG", "HR", "CY", "CZ", "DK", "EE", "FO", "FI", "FR", "DE", "GI", "GR", "GG", "HU", "IS", "IE", "IM", "IT", "JE", "XK", "LV", "LI", "LT", "LU", "MT", "MD", "MC", "ME", "NL", "MK", "NO", "PL", "PT", "RO", "RU", "SM", "RS", "SK", "SI", "ES", "SJ", "SE", "CH", "UA", "GB", "VA", "AX"])


def continent_of(alpha2: str) -> str:
    code = (alpha2 or "").upper()
    if not code:
        return ""
    if code in AFRICA:
        return "africa"
    if code in EUROPE:
        return "europe"
    return "other"
