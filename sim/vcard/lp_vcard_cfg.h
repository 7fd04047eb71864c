// lp_vcard_cfg.h - the virtual card's presets (memory channels and their SLRs) and the
// reader of v++ --connectivity files (nk=, sp=, slr=, kernel_frequency=): the CU -> SLR ->
// memory-bank map the xclbin is linked with, so the virtual card and the xclbin agree.
#ifndef LP_VCARD_CFG_H
#define LP_VCARD_CFG_H

#include <cstdint>
#include <string>
#include <vector>

namespace vcard {

struct BankSpec {
    std::string name;  // "DDR[0]", "HBM[7]": the names sp= uses
    double gbps;       // peak bandwidth, GB/s (10^9 bytes)
    double latency_ns; // idle read latency added to a burst
    uint64_t capacity; // bytes
    uint32_t slr;      // the SLR the channel's controller sits in
};

struct CardSpec {
    std::string name, platform;
    std::vector<BankSpec> banks;
};

// "u250", "u280", "u55c"; false for another name
bool card_preset(const std::string &name, CardSpec *out);

struct CuMap {
    std::string name;  // "lp_sgd_1"
    uint32_t slr = 0;  // slr=, 0 when none
    uint32_t bank[4];  // per pointer argument (LP_ARG_DATA.._CFG): index into CardSpec::banks
};

struct Connectivity {
    double mhz = 300; // kernel_frequency
    std::vector<CuMap> cus;
};

// read a connectivity file for card; "" or the message of the first problem (with its line)
std::string parse_connectivity(const std::string &path, const CardSpec &card, Connectivity *out);
// the same from the file's text (the tests' cfgs)
std::string parse_connectivity_text(const std::string &text, const std::string &where, const CardSpec &card,
                                    Connectivity *out);

} // namespace vcard

#endif
