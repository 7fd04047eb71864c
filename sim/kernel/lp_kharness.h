// lp_kharness.h - the model-independent half of the SGD kernel top's harness, one copy shared
// by the plain Verilator harness (lp_vkernel.cpp, lp_vkernel.h's C ABI) and the virtual
// card's compute units (sim/vcard): the AXI4 slave side of gmem0 (read) and gmem1 (read,
// write) with the protocol checks, the AXI4-Lite master on s_axi_control, and the call
// sequence (arguments, ap_start, polling ap_done, the interrupt and status checks).
//
// What it does not own: the model's ports (the owner's tick() drives the slave outputs kept
// here, settles the model, passes what the kernel drives to read_port / write_port /
// lite_sample, then gives the rising edge) and the memory (Mem: the bytes of a beat when it
// moves, and the cycles a burst costs beyond the harness's own pipeline: 0 for the plain
// harness's flat array, the TLM-2.0 channels' latency and bandwidth for the virtual card).
#ifndef LP_KHARNESS_H
#define LP_KHARNESS_H

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "lp_vkernel.h"

namespace lpk {

constexpr uint64_t kPage = 4096;
constexpr unsigned kBeat = 64;

struct Buffer {
    const char *name;
    uint64_t addr, size;
    bool writable;
};

// xorshift32: the seeded latencies and stalls
struct Rng {
    uint32_t s;
    uint32_t next()
    {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        return s;
    }
    bool chance(unsigned percent) { return next() % 100 < percent; }
    unsigned range(unsigned lo, unsigned hi) { return lo + next() % (hi - lo + 1); }
};

struct Burst {
    uint64_t addr;
    unsigned len;  // beats
    unsigned beat; // next beat
    uint64_t due;  // cycle from which its data (or response) may go out
    unsigned resp; // its RRESP / BRESP (0 OKAY)
    uint64_t mem;  // write bursts: the memory's cycles (Mem::burst), added to the B response
};

// one held handshake: the payload seen with valid and no ready must be seen again
struct Hold {
    bool pending = false;
    std::vector<uint32_t> payload;
};

// a read channel (AR, R) as the kernel drives it in one cycle
struct ReadPort {
    bool arv;
    uint64_t araddr;
    unsigned arlen, arsize, arburst;
    bool rready;
};

// gmem1's write side as the kernel drives it in one cycle
struct WritePort {
    bool awv, wv, bready;
    uint64_t awaddr;
    unsigned awlen, awsize, awburst;
    std::vector<uint32_t> w; // WDATA (16 words), WSTRB (2 words), WLAST
};

// s_axi_control's slave outputs in one cycle
struct LitePort {
    bool awready, wready, bvalid, arready, rvalid;
    uint32_t rdata;
};

// the ports' numbers in Mem::burst and the byte counters
enum { kGmem0Rd = 0, kGmem1Rd = 1, kGmem1Wr = 2, kPorts = 3 };

// where the bursts' bytes live and what a burst costs there
struct Mem {
    virtual ~Mem() = default;
    virtual void read(uint64_t addr, void *dst64) = 0;                           // one 64-byte beat
    virtual void write(uint64_t addr, const uint8_t *src64, uint64_t strb) = 0; // one beat, byte strobes
    // a burst's address accepted on port (kGmem*): cycles it costs beyond the harness's own
    // latency (0: an ideal memory) and, in *resp, the response the memory gives (0 OKAY)
    virtual uint64_t burst(int port, uint64_t addr, unsigned beats, unsigned *resp) = 0;
};

// the cfg block's K, D, B within the kernel's limits (the host's view, before the kernel's
// own check): the buffers' sizes and a call's wait follow from them only then
bool cfg_sane(const uint32_t *cfg);
// the minibatch beats of a call (B * (1 + D/16) per step; 0 for a cfg that is not sane)
uint64_t call_beats(const uint32_t *cfg, uint32_t nsteps);

struct Harness {
    Mem *memp = nullptr;
    bool rst_n = true; // ap_rst_n
    uint64_t t = 0;
    Rng rng{1};
    bool stalls = false;
    uint32_t rd_latency = 2; // cycles from an AR to its first R beat (stalls add 0..38)
    std::string err;
    lp_vkernel_faults_t fx{};            // lp_vkernel_set_faults
    unsigned ar_n[2] = {0, 0}, aw_n = 0; // bursts taken in this call
    uint64_t isr_at = 0;                 // the cycle the host presents fx's ISR write (0: none)
    uint64_t bytes[kPorts] = {0, 0, 0};  // beats' bytes moved per port, ever
    uint64_t aw_alone = 0;               // cycles an AW has waited for AWREADY with no W data in sight

    std::vector<Buffer> bufs;
    uint64_t stats_addr = 0, stats_size = 0;
    std::vector<uint64_t> rec_times;

    // slave state (outputs for the next cycle)
    std::deque<Burst> rd_q[2], aw_q, b_q;
    std::deque<std::vector<uint32_t>> w_early; // W beats before their AW (allowed, unused by the kernel)
    bool arready[2] = {false, false}, rvalid[2] = {false, false};
    bool awready = false, wready = false, bvalid = false;
    unsigned rresp[2] = {0, 0}, bresp = 0;
    Hold h_ar[2], h_aw, h_w;
    uint32_t rdata[2][16] = {};
    bool rlast[2] = {false, false};

    // AXI4-Lite master signals
    bool l_aw = false, l_w = false, l_b = false, l_ar = false, l_r = false;
    uint32_t l_waddr = 0, l_raddr = 0, l_wdata = 0, l_rdata = 0;

    virtual ~Harness() = default;
    virtual void tick() = 0; // one clock cycle (the model's ports)
    virtual bool interrupt() const = 0;

    bool fail(const char *fmt, ...) __attribute__((format(printf, 2, 3)));
    const Buffer *find(uint64_t addr, uint64_t bytes) const;
    void check_burst(const char *port, uint64_t addr, unsigned len, unsigned size, unsigned burst, bool write);
    void check_hold(Hold &h, const char *what, bool valid, bool ready, std::vector<uint32_t> payload);

    // a cycle, between the owner's settle and its rising edge: the kernel's outputs in
    void cycle_begin(); // before driving: fx's ISR write
    void read_port(int p, const ReadPort &k);
    void write_port(const WritePort &k);
    void lite_sample(const LitePort &l);

    int reg_write(uint32_t a, uint32_t v);
    int reg_read(uint32_t a, uint32_t *v);
    // ap_rst_n low for 4 cycles, 2 more, then the interrupts enabled as XRT does (GIE, IER)
    int reset();
    // one kernel call on buffers already in memory: ptr = data, model, stats, cfg device
    // addresses, scal = nsteps, step0, flags; beats bounds the wait. 0, or -1 with err set.
    // *t0: the cycle of ap_start, *tdone: that of the interrupt.
    int call(const uint64_t ptr[4], const uint32_t scal[3], uint64_t beats, uint64_t *t0, uint64_t *tdone);
    // the call's buffers for the checks, zero counters (the bursts of a call count from 1)
    void begin_call();

  private:
    void write_beat(const Burst &b, const std::vector<uint32_t> &w);
    int finish_call();
};

} // namespace lpk

#endif
