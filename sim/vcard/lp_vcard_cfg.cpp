// lp_vcard_cfg.cpp - card presets and the v++ connectivity reader (lp_vcard_cfg.h).
#include "lp_vcard_cfg.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

extern "C" {
#include "sgd/lp_sgd_regmap.h"
}

namespace vcard {

namespace {

constexpr double kDdr4Gbps = 19.25;  // DDR4-2400, 64 bit: 2400 MT/s x 8 bytes (19.2 GB/s; Xilinx quotes 19.25)
constexpr double kHbm2Gbps = 14.375; // one HBM2 pseudo-channel: 460 GB/s / 32
constexpr double kDdr4Ns = 100;      // assumed idle latencies (docs/vcard.md: not measured here)
constexpr double kHbmNs = 110;
constexpr uint64_t kGiB = 1ull << 30, kMiB = 1ull << 20;

void add(CardSpec *c, const char *kind, unsigned n, double gbps, double ns, uint64_t cap, uint32_t slr0, bool slr_per_bank)
{
    for (unsigned i = 0; i < n; i++)
        c->banks.push_back({std::string(kind) + "[" + std::to_string(i) + "]", gbps, ns, cap,
                            slr_per_bank ? slr0 + i : slr0});
}

std::string trim(const std::string &s)
{
    size_t a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// "DDR[1]" or "HBM[0:1]" (the first of a range: a buffer is placed in one channel)
int bank_index(const CardSpec &card, const std::string &spec)
{
    std::string s = spec;
    size_t colon = s.find(':');
    if (colon != std::string::npos && s.back() == ']')
        s = s.substr(0, colon) + "]";
    for (size_t i = 0; i < card.banks.size(); i++)
        if (card.banks[i].name == s)
            return (int)i;
    return -1;
}

struct Line {
    int no;
    std::string section, key, value;
};

std::vector<Line> lines_of(const std::string &text)
{
    std::vector<Line> out;
    std::istringstream in(text);
    std::string raw, section;
    for (int no = 1; std::getline(in, raw); no++) {
        std::string s = trim(raw.substr(0, raw.find('#')));
        if (s.empty())
            continue;
        if (s.front() == '[' && s.back() == ']') {
            section = s.substr(1, s.size() - 2);
            continue;
        }
        size_t eq = s.find('=');
        out.push_back({no, section, trim(s.substr(0, eq)), eq == std::string::npos ? "" : trim(s.substr(eq + 1))});
    }
    return out;
}

int cu_index(const Connectivity &c, const std::string &name)
{
    for (size_t i = 0; i < c.cus.size(); i++)
        if (c.cus[i].name == name)
            return (int)i;
    return -1;
}

// nk=lp_sgd:N[:name1.name2...]
std::string parse_nk(const std::string &v, Connectivity *out)
{
    std::string kernel = v.substr(0, v.find(':'));
    if (kernel != "lp_sgd")
        return "nk names kernel '" + kernel + "', not lp_sgd";
    std::string rest = v.find(':') == std::string::npos ? "" : v.substr(v.find(':') + 1);
    char *end = nullptr;
    long n = std::strtol(rest.c_str(), &end, 10);
    if (end == rest.c_str() || n < 1 || n > 16)
        return "nk count '" + rest + "' is not 1..16";
    std::vector<std::string> names;
    if (*end == ':') {
        std::istringstream ns(end + 1);
        for (std::string nm; std::getline(ns, nm, '.');)
            names.push_back(trim(nm));
        if ((long)names.size() != n)
            return "nk gives " + std::to_string(names.size()) + " names for " + std::to_string(n) + " compute units";
    }
    for (long i = 0; i < n; i++) {
        CuMap m;
        m.name = names.empty() ? "lp_sgd_" + std::to_string(i + 1) : names[i];
        for (uint32_t &b : m.bank)
            b = 0;
        out->cus.push_back(m);
    }
    return "";
}

// sp=cu.arg:BANK
std::string parse_sp(const std::string &v, const CardSpec &card, Connectivity *out)
{
    size_t dot = v.find('.'), colon = v.find(':', dot == std::string::npos ? 0 : dot);
    if (dot == std::string::npos || colon == std::string::npos)
        return "sp '" + v + "' is not <cu>.<argument>:<bank>";
    int cu = cu_index(*out, v.substr(0, dot));
    if (cu < 0)
        return "sp names compute unit '" + v.substr(0, dot) + "', which no nk= line instantiates";
    // an argument (data) or a port (m_axi_gmem1: every argument of that bundle)
    std::string arg = v.substr(dot + 1, colon - dot - 1), bank = v.substr(colon + 1);
    std::string port = arg.compare(0, 6, "m_axi_") ? arg : arg.substr(6);
    int b = bank_index(card, bank), n = 0;
    if (b < 0)
        return "sp names bank '" + bank + "', which the " + card.name + " has not got";
    for (int i = 0; i < LP_SGD_NARGS; i++)
        if (lp_sgd_args[i].is_pointer && (arg == lp_sgd_args[i].name || port == lp_sgd_args[i].bundle))
            out->cus[cu].bank[i] = (uint32_t)b, n++;
    return n ? "" : "sp names '" + arg + "', neither a pointer argument nor an m_axi port of lp_sgd";
}

std::string parse_line(const Line &l, const CardSpec &card, Connectivity *out)
{
    if (l.key == "kernel_frequency") {
        std::string v = l.value.substr(l.value.find(':') == std::string::npos ? 0 : l.value.find(':') + 1);
        out->mhz = std::atof(v.c_str());
        return out->mhz > 0 ? "" : "kernel_frequency '" + l.value + "' is not a frequency in MHz";
    }
    if (l.section != "connectivity")
        return "";
    if (l.key == "nk")
        return parse_nk(l.value, out);
    if (l.key == "sp")
        return parse_sp(l.value, card, out);
    if (l.key == "slr") {
        size_t colon = l.value.find(':');
        int cu = cu_index(*out, l.value.substr(0, colon));
        if (cu < 0 || colon == std::string::npos || l.value.compare(colon + 1, 3, "SLR"))
            return "slr '" + l.value + "' is not <instantiated cu>:SLR<n>";
        out->cus[cu].slr = (uint32_t)std::atoi(l.value.c_str() + colon + 4);
    }
    return ""; // stream_connect, sc and the rest: nothing the virtual card models
}

} // namespace

bool card_preset(const std::string &name, CardSpec *c)
{
    *c = CardSpec{};
    c->name = name;
    if (name == "u250") { // 4 DDR4 banks, DDR[i] in SLR i
        c->platform = "xilinx_u250_gen3x16_xdma_4_1_202210_1";
        add(c, "DDR", 4, kDdr4Gbps, kDdr4Ns, 16 * kGiB, 0, true);
    } else if (name == "u280") { // 32 HBM2 pseudo-channels under SLR0, DDR[0] SLR0, DDR[1] SLR1
        c->platform = "xilinx_u280_gen3x16_xdma_1_202211_1";
        add(c, "HBM", 32, kHbm2Gbps, kHbmNs, 256 * kMiB, 0, false);
        add(c, "DDR", 2, kDdr4Gbps, kDdr4Ns, 16 * kGiB, 0, true);
    } else if (name == "u55c") { // 32 HBM2e pseudo-channels under SLR0, no DDR
        c->platform = "xilinx_u55c_gen3x16_xdma_3_202210_1";
        add(c, "HBM", 32, kHbm2Gbps, kHbmNs, 512 * kMiB, 0, false);
    } else {
        return false;
    }
    return true;
}

std::string parse_connectivity_text(const std::string &text, const std::string &where, const CardSpec &card,
                                    Connectivity *out)
{
    *out = Connectivity{};
    std::vector<Line> ls = lines_of(text);
    // nk= first: sp= and slr= may come before it in the file
    for (int pass = 0; pass < 2; pass++)
        for (const Line &l : ls) {
            if ((l.key == "nk") != (pass == 0))
                continue;
            std::string e = parse_line(l, card, out);
            if (!e.empty())
                return where + ":" + std::to_string(l.no) + ": " + e;
        }
    if (out->cus.empty())
        return where + ": no nk=lp_sgd:N line: the file instantiates no compute unit";
    return "";
}

std::string parse_connectivity(const std::string &path, const CardSpec &card, Connectivity *out)
{
    std::ifstream f(path);
    if (!f)
        return "cannot read the connectivity file '" + path + "'";
    std::stringstream ss;
    ss << f.rdbuf();
    return parse_connectivity_text(ss.str(), path, card, out);
}

} // namespace vcard
