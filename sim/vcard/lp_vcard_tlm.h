// lp_vcard_tlm.h - the virtual card's TLM-2.0 parts: one target per memory channel (its
// buffers' bytes, DMI to them, an idle latency and a token-bucket bandwidth), the
// interconnect that decodes a bank from the address, and the PCIe DMA engine.
//
// Data and time travel separately, as in loosely timed models with DMI: an initiator (a
// compute unit's AXI bridge, the DMA) moves bytes through DMI pointers at the moment the
// transfer happens, and books each burst or chunk in its channel with a b_transport that
// carries the address and length (TLM_IGNORE_COMMAND) and returns the time the channel
// adds. READ/WRITE b_transport with data works too (transport_dbg as well), for initiators
// without DMI.
#ifndef LP_VCARD_TLM_H
#define LP_VCARD_TLM_H

#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "lp_vcard_cfg.h"

namespace vcard {

constexpr uint64_t kBankBase = 0x4000000000ull; // bank i's addresses: kBankBase + i * kBankSpan ...
constexpr uint64_t kBankSpan = 0x1000000000ull; // ... 64 GiB apart (above 4 GiB: 64-bit pointers)

// one DDR4 channel or HBM pseudo-channel
struct Channel : sc_core::sc_module {
    tlm_utils::simple_target_socket<Channel> socket;
    BankSpec spec;
    uint64_t base;
    bool ideal;                  // zero latency, unbounded bandwidth
    sc_core::sc_time depth;      // the bucket: this much transfer time is absorbed without delay
    sc_core::sc_time free_at;    // when the bytes booked so far have left the channel
    sc_core::sc_time busy;       // transfer time booked
    uint64_t rd_bytes = 0, wr_bytes = 0;

    struct Region {
        uint64_t addr, size;
        std::unique_ptr<uint8_t[]> bytes;
    };
    std::vector<Region> regions; // the buffers, in address order
    uint64_t used = 0;           // bump allocator: bytes handed out

    Channel(sc_core::sc_module_name n, const BankSpec &s, uint64_t base_addr, bool ideal_mem);
    int alloc(uint64_t size, uint64_t *addr);
    Region *region(uint64_t addr, uint64_t n);
    sc_core::sc_time book(uint64_t bytes, bool write, const sc_core::sc_time &at);

    void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload &gp, tlm::tlm_dmi &dmi);
    unsigned transport_dbg(tlm::tlm_generic_payload &gp);
};

// address decode: bank i's window to channel i
struct Router : sc_core::sc_module {
    tlm_utils::multi_passthrough_target_socket<Router> tgt;
    tlm_utils::multi_passthrough_initiator_socket<Router> init;
    size_t nbanks = 0;

    explicit Router(sc_core::sc_module_name n);
    int decode(uint64_t addr) const;
    void b_transport(int id, tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload &gp, tlm::tlm_dmi &dmi);
    unsigned transport_dbg(int id, tlm::tlm_generic_payload &gp);
};

// the direction of a booking (TLM_IGNORE_COMMAND carries none): for the channel's counters
struct Booking : tlm::tlm_extension<Booking> {
    bool write = false;
    tlm_extension_base *clone() const override { return new Booking(*this); }
    void copy_from(const tlm_extension_base &e) override { write = static_cast<const Booking &>(e).write; }
};

// an initiator's side of the above: bytes through DMI (regions cached; nullptr when refused) ...
unsigned char *dmi_ptr(std::vector<tlm::tlm_dmi> &cache, tlm::tlm_fw_transport_if<> *fw, uint64_t a, uint64_t len);
// ... and a transfer booked in its channel at sc_time_stamp() + local: the time the channel
// adds; *st its response
sc_core::sc_time book(tlm::tlm_fw_transport_if<> *fw, uint64_t a, uint64_t len, bool write, const sc_core::sc_time &local,
                      tlm::tlm_response_status *st);

// PCIe DMA: a transfer costs latency + bytes / peak on the link (per direction), and its
// 4 KiB pieces are booked in the channel as they arrive (the host's copies compete with the
// kernels)
struct PcieSpec {
    const char *name;
    double latency_us[2]; // host -> card, card -> host
    double peak_gbps[2];
};
bool pcie_preset(const std::string &name, PcieSpec *out);

struct Pcie : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Pcie> sock;
    PcieSpec spec;
    sc_core::sc_event go;
    // the transfer in hand
    bool to_card = true, pending = false;
    uint64_t addr = 0, n = 0;
    uint8_t *host = nullptr;
    int rc = 0;
    uint64_t bytes[2] = {0, 0};
    sc_core::sc_time busy[2];
    std::vector<tlm::tlm_dmi> dmi;

    Pcie(sc_core::sc_module_name nm, const PcieSpec &s);
    void thread();
    int transfer();
};

} // namespace vcard

#endif
