// lp_vcard_tlm.cpp - memory channels, interconnect, PCIe DMA (lp_vcard_tlm.h).
#include "lp_vcard_tlm.h"

#include <algorithm>
#include <cstring>


using namespace sc_core;
using namespace tlm;

namespace vcard {

Channel::Channel(sc_module_name n, const BankSpec &s, uint64_t base_addr, bool ideal_mem)
    : sc_module(n), socket("socket"), spec(s), base(base_addr), ideal(ideal_mem)
{
    // a 4 KiB burst's worth of transfer time is absorbed: a port that streams at or below the
    // channel's rate is not slowed, one that outruns it (or shares it) queues
    depth = sc_time(4096.0 / (spec.gbps * 1e9), SC_SEC);
    socket.register_b_transport(this, &Channel::b_transport);
    socket.register_get_direct_mem_ptr(this, &Channel::get_direct_mem_ptr);
    socket.register_transport_dbg(this, &Channel::transport_dbg);
}

int Channel::alloc(uint64_t size, uint64_t *addr)
{
    uint64_t sz = (size + 4095) / 4096 * 4096;
    if (sz == 0 || used + sz > spec.capacity)
        return -1;
    Region r{base + used, sz, std::unique_ptr<uint8_t[]>(new (std::nothrow) uint8_t[sz]())};
    if (!r.bytes)
        return -1;
    *addr = r.addr;
    used += sz + 4096; // a page of guard between buffers, as lp_vkernel has
    regions.push_back(std::move(r));
    return 0;
}

Channel::Region *Channel::region(uint64_t addr, uint64_t n)
{
    for (Region &r : regions)
        if (addr >= r.addr && addr + n <= r.addr + r.size)
            return &r;
    return nullptr;
}

// the token bucket: bytes leave at the channel's rate; what arrives while the channel is
// still busy waits for the backlog beyond the bucket's depth; every transfer pays the latency
sc_time Channel::book(uint64_t bytes, bool write, const sc_time &at)
{
    (write ? wr_bytes : rd_bytes) += bytes;
    if (ideal)
        return SC_ZERO_TIME;
    sc_time serve(bytes / (spec.gbps * 1e9), SC_SEC), start = std::max(at, free_at);
    sc_time backlog = start - at;
    free_at = start + serve;
    busy += serve;
    return (backlog > depth ? backlog - depth : SC_ZERO_TIME) + sc_time(spec.latency_ns, SC_NS);
}

void Channel::b_transport(tlm_generic_payload &gp, sc_time &delay)
{
    uint64_t a = gp.get_address(), n = gp.get_data_length();
    Region *r = region(a, n);
    if (!r) {
        gp.set_response_status(TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    bool write = gp.is_write();
    if (gp.get_command() == TLM_IGNORE_COMMAND) {
        Booking *b = nullptr;
        gp.get_extension(b);
        write = b && b->write;
    } else if (gp.get_byte_enable_ptr() || gp.get_streaming_width() < n) {
        gp.set_response_status(TLM_BYTE_ENABLE_ERROR_RESPONSE); // not used by this card's initiators
        return;
    } else {
        uint8_t *m = &r->bytes[a - r->addr];
        std::memcpy(write ? m : gp.get_data_ptr(), write ? gp.get_data_ptr() : m, n);
    }
    delay += book(n, write, sc_time_stamp() + delay);
    gp.set_dmi_allowed(true);
    gp.set_response_status(TLM_OK_RESPONSE);
}

bool Channel::get_direct_mem_ptr(tlm_generic_payload &gp, tlm_dmi &dmi)
{
    Region *r = region(gp.get_address(), 1);
    if (!r)
        return false;
    dmi.set_dmi_ptr(r->bytes.get());
    dmi.set_start_address(r->addr);
    dmi.set_end_address(r->addr + r->size - 1);
    dmi.allow_read_write();
    dmi.set_read_latency(ideal ? SC_ZERO_TIME : sc_time(spec.latency_ns, SC_NS));
    dmi.set_write_latency(ideal ? SC_ZERO_TIME : sc_time(spec.latency_ns, SC_NS));
    return true;
}

unsigned Channel::transport_dbg(tlm_generic_payload &gp)
{
    uint64_t a = gp.get_address(), n = gp.get_data_length();
    Region *r = region(a, n);
    if (!r || gp.get_command() == TLM_IGNORE_COMMAND)
        return 0;
    uint8_t *m = &r->bytes[a - r->addr];
    std::memcpy(gp.is_write() ? m : gp.get_data_ptr(), gp.is_write() ? gp.get_data_ptr() : m, n);
    return (unsigned)n;
}

Router::Router(sc_module_name n) : sc_module(n), tgt("tgt"), init("init")
{
    tgt.register_b_transport(this, &Router::b_transport);
    tgt.register_get_direct_mem_ptr(this, &Router::get_direct_mem_ptr);
    tgt.register_transport_dbg(this, &Router::transport_dbg);
}

int Router::decode(uint64_t addr) const
{
    if (addr < kBankBase)
        return -1;
    uint64_t i = (addr - kBankBase) / kBankSpan;
    return i < nbanks ? (int)i : -1;
}

void Router::b_transport(int, tlm_generic_payload &gp, sc_time &delay)
{
    int i = decode(gp.get_address());
    if (i < 0)
        gp.set_response_status(TLM_ADDRESS_ERROR_RESPONSE);
    else
        init[i]->b_transport(gp, delay);
}

bool Router::get_direct_mem_ptr(int, tlm_generic_payload &gp, tlm_dmi &dmi)
{
    int i = decode(gp.get_address());
    return i >= 0 && init[i]->get_direct_mem_ptr(gp, dmi);
}

unsigned Router::transport_dbg(int, tlm_generic_payload &gp)
{
    int i = decode(gp.get_address());
    return i < 0 ? 0 : init[i]->transport_dbg(gp);
}

unsigned char *dmi_ptr(std::vector<tlm_dmi> &cache, tlm_fw_transport_if<> *fw, uint64_t a, uint64_t len)
{
    for (tlm_dmi &d : cache)
        if (a >= d.get_start_address() && a + len - 1 <= d.get_end_address())
            return d.get_dmi_ptr() + (a - d.get_start_address());
    tlm_generic_payload gp;
    gp.set_address(a);
    gp.set_command(TLM_READ_COMMAND);
    tlm_dmi d;
    if (!fw->get_direct_mem_ptr(gp, d) || a + len - 1 > d.get_end_address())
        return nullptr;
    cache.push_back(d);
    return d.get_dmi_ptr() + (a - d.get_start_address());
}

sc_time book(tlm_fw_transport_if<> *fw, uint64_t a, uint64_t len, bool write, const sc_time &local,
             tlm_response_status *st)
{
    Booking b;
    b.write = write;
    tlm_generic_payload gp;
    gp.set_command(TLM_IGNORE_COMMAND);
    gp.set_address(a);
    gp.set_data_ptr(nullptr);
    gp.set_data_length((unsigned)len);
    gp.set_streaming_width((unsigned)len);
    gp.set_response_status(TLM_INCOMPLETE_RESPONSE);
    gp.set_extension(&b);
    sc_time delay = local;
    fw->b_transport(gp, delay);
    gp.clear_extension(&b);
    *st = gp.get_response_status();
    return delay - local;
}

// Gen3 x16 (XDMA, xbutil's DMA test): ~9.6 GB/s host -> card, ~12.2 GB/s card -> host for
// large buffers, ~0.7-0.8 GB/s for 4 KiB ones (docs/vcard.md gives the sources). Gen4 x8
// has the same raw link rate; no XRT figure for it was found: the Gen3 x16 numbers, assumed.
bool pcie_preset(const std::string &name, PcieSpec *out)
{
    if (name == "gen3x16")
        *out = {"gen3x16", {5.3, 4.8}, {9.6, 12.2}};
    else if (name == "gen4x8")
        *out = {"gen4x8", {5.3, 4.8}, {9.6, 12.2}};
    else
        return false;
    return true;
}

Pcie::Pcie(sc_module_name nm, const PcieSpec &s) : sc_module(nm), sock("sock"), spec(s)
{
    SC_HAS_PROCESS(Pcie);
    SC_THREAD(thread);
}

void Pcie::thread()
{
    for (;;) {
        wait(go);
        rc = transfer();
        pending = false;
        sc_pause();
    }
}

// one blocking copy (XRT's sync_bo): the link's latency, then 4 KiB pieces at the link's
// rate, each booked in its channel when it arrives there (so the copy and the kernels' bursts
// share the channel in time order, as a memory controller interleaves them) and taking the
// longer of its link time and what its channel adds
int Pcie::transfer()
{
    const uint64_t kPiece = 4096;
    int d = to_card ? 0 : 1;
    sc_time t0 = sc_time_stamp();
    wait(sc_time(spec.latency_us[d], SC_US));
    for (uint64_t off = 0; off < n; off += kPiece) {
        uint64_t len = std::min(kPiece, n - off);
        unsigned char *p = dmi_ptr(dmi, sock.operator->(), addr + off, len);
        if (!p)
            return -1;
        std::memcpy(to_card ? p : host + off, to_card ? host + off : p, len);
        tlm_response_status st;
        sc_time link(len / (spec.peak_gbps[d] * 1e9), SC_SEC);
        sc_time chan = book(sock.operator->(), addr + off, len, to_card, SC_ZERO_TIME, &st);
        wait(std::max(link, chan));
    }
    bytes[d] += n;
    busy[d] += sc_time_stamp() - t0;
    return 0;
}

} // namespace vcard
