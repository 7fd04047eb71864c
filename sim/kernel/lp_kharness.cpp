// lp_kharness.cpp - the shared kernel harness (lp_kharness.h): AXI4 slaves and their checks,
// the AXI4-Lite master, the call sequence as XRT runs it.
#include "lp_kharness.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <iterator>

extern "C" {
#include "sgd/lp_sgd.h"
#include "sgd/lp_sgd_regmap.h"
}

namespace lpk {

bool cfg_sane(const uint32_t *cfg)
{
    uint64_t K = cfg[LP_CFG_K], D = cfg[LP_CFG_D], B = cfg[LP_CFG_BATCH];
    return K >= 1 && K <= LP_SGD_MAX_CLASSES && D >= 16 && D <= LP_SGD_MAX_DIM && D % 16 == 0 && B >= 1 &&
           B <= LP_SGD_MAX_BATCH;
}

uint64_t call_beats(const uint32_t *cfg, uint32_t nsteps)
{
    return cfg_sane(cfg) ? (uint64_t)nsteps * cfg[LP_CFG_BATCH] * (1 + cfg[LP_CFG_D] / 16) : 0;
}

bool Harness::fail(const char *fmt, ...)
{
    if (!err.empty())
        return false;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    err = buf;
    return false;
}

const Buffer *Harness::find(uint64_t addr, uint64_t bytes) const
{
    for (const Buffer &b : bufs)
        if (addr >= b.addr && addr + bytes <= b.addr + b.size)
            return &b;
    return nullptr;
}

// AR/AW checks: INCR, 64-byte beats, aligned, one 4 KiB page, one buffer
void Harness::check_burst(const char *port, uint64_t addr, unsigned len, unsigned size, unsigned burst, bool write)
{
    if (size != 6 || burst != 1)
        fail("%s: burst size %u / type %u (want 64-byte beats, INCR)", port, size, burst);
    if (addr % kBeat)
        fail("%s: address 0x%llx not beat aligned", port, (unsigned long long)addr);
    if (addr / kPage != (addr + (uint64_t)len * kBeat - 1) / kPage)
        fail("%s: burst at 0x%llx of %u beats crosses a 4 KiB boundary", port, (unsigned long long)addr, len);
    const Buffer *b = find(addr, (uint64_t)len * kBeat);
    if (!b)
        fail("%s: burst at 0x%llx of %u beats is outside every buffer", port, (unsigned long long)addr, len);
    else if (write && !b->writable)
        fail("%s: write burst into the read-only buffer '%s'", port, b->name);
}

// valid held with a stable payload until ready
void Harness::check_hold(Hold &h, const char *what, bool valid, bool ready, std::vector<uint32_t> payload)
{
    if (h.pending) {
        if (!valid)
            fail("%s: VALID dropped before READY", what);
        else if (payload != h.payload)
            fail("%s: payload changed while VALID waited for READY", what);
    }
    h.pending = valid && !ready;
    if (h.pending)
        h.payload = std::move(payload);
}

void Harness::cycle_begin()
{
    if (isr_at && t == isr_at) { // fx.isr_write_cycle: the host's ISR write, whatever else it does
        l_waddr = LP_REG_ISR;
        l_wdata = fx.isr_write_value;
        l_aw = l_w = l_b = true;
    }
}

// the read side of port p: AR taken into the queue, R beats out of it
void Harness::read_port(int p, const ReadPort &k)
{
    const char *name = p ? "gmem1 AR" : "gmem0 AR";
    if (!rst_n && t > 0 && k.arv) // after the first edge in reset: the master's valids are low
        fail("%s: ARVALID high during reset", name);
    check_hold(h_ar[p], name, k.arv, arready[p], {(uint32_t)k.araddr, (uint32_t)(k.araddr >> 32), k.arlen, k.arsize, k.arburst});
    if (k.arv && arready[p]) {
        check_burst(name, k.araddr, k.arlen + 1, k.arsize, k.arburst, false);
        unsigned resp = ++ar_n[p] == fx.rd_err_burst[p] ? fx.rd_err_resp : 0, mresp = 0;
        uint64_t due = t + rd_latency + (stalls ? rng.range(0, 38) : 0);
        due += memp->burst(p, k.araddr, k.arlen + 1, &mresp);
        rd_q[p].push_back({k.araddr, k.arlen + 1, 0, due, resp ? resp : mresp, 0});
    }
    if (rvalid[p] && k.rready) {
        Burst &b = rd_q[p].front();
        bytes[p] += kBeat;
        if (++b.beat == b.len)
            rd_q[p].pop_front();
    }
    // next cycle: a beat stays offered until taken
    if (!(rvalid[p] && !k.rready)) {
        rvalid[p] = false;
        if (!rd_q[p].empty() && rd_q[p].front().due <= t && !(stalls && rng.chance(20))) {
            Burst &b = rd_q[p].front();
            uint64_t a = b.addr + (uint64_t)b.beat * kBeat;
            if (b.resp)
                std::fill(std::begin(rdata[p]), std::end(rdata[p]), 0xBAD0BAD0u); // not memory's
            else if (find(a, kBeat))
                memp->read(a, rdata[p]);
            rresp[p] = b.resp;
            rlast[p] = b.beat + 1 == b.len;
            rvalid[p] = true;
        }
    }
    arready[p] = !stalls || rng.chance(70);
}

void Harness::write_beat(const Burst &b, const std::vector<uint32_t> &w)
{
    uint64_t a = b.addr + (uint64_t)b.beat * kBeat;
    const uint32_t *data = w.data(), *strb = w.data() + 16;
    uint64_t s = strb[0] | (uint64_t)strb[1] << 32;
    if ((w[18] != 0) != (b.beat + 1 == b.len))
        fail("gmem1 W: WLAST %u on beat %u of a %u-beat burst", w[18], b.beat, b.len);
    bytes[kGmem1Wr] += kBeat;
    if (!find(a, kBeat) || b.resp) // an error response: nothing written
        return;
    memp->write(a, reinterpret_cast<const uint8_t *>(data), s);
    if (a >= stats_addr && a < stats_addr + stats_size)
        rec_times.push_back(t);
}

void Harness::write_port(const WritePort &k)
{
    if (!rst_n && t > 0 && (k.awv || k.wv))
        fail("gmem1 AW/W: AWVALID or WVALID high during reset");
    check_hold(h_aw, "gmem1 AW", k.awv, awready, {(uint32_t)k.awaddr, (uint32_t)(k.awaddr >> 32), k.awlen, k.awsize, k.awburst});
    check_hold(h_w, "gmem1 W", k.wv, wready, k.w);
    if (k.awv && awready) {
        check_burst("gmem1 AW", k.awaddr, k.awlen + 1, k.awsize, k.awburst, true);
        unsigned resp = ++aw_n == fx.wr_err_burst ? fx.wr_err_resp : 0, mresp = 0;
        uint64_t mem = memp->burst(kGmem1Wr, k.awaddr, k.awlen + 1, &mresp);
        aw_q.push_back({k.awaddr, k.awlen + 1, 0, 0, resp ? resp : mresp, mem});
    }
    if (k.wv && wready)
        w_early.push_back(k.w);
    while (!aw_q.empty() && !w_early.empty()) {
        Burst &b = aw_q.front();
        write_beat(b, w_early.front());
        w_early.pop_front();
        if (++b.beat == b.len) {
            b_q.push_back({b.addr, b.len, 0, t + (stalls ? rng.range(1, 20) : 1) + b.mem, b.resp, 0});
            aw_q.pop_front();
        }
    }
    if (bvalid && k.bready)
        b_q.pop_front();
    if (!(bvalid && !k.bready)) {
        bvalid = !b_q.empty() && b_q.front().due <= t && !(stalls && rng.chance(20));
        bresp = bvalid ? b_q.front().resp : 0;
    }
    // fx.aw_after_w: AWREADY only while W data is offered or taken ahead of its address; a
    // master that waits for AWREADY before WVALID then waits forever: named after 1000 cycles
    aw_alone = k.awv && !awready && !k.wv && w_early.empty() ? aw_alone + 1 : 0;
    if (fx.aw_after_w && aw_alone == 1000)
        fail("gmem1 AW: AWVALID waited 1000 cycles for AWREADY with no WVALID: the master waits for AWREADY "
             "before its write data (AXI4 A3.3.1 forbids it)");
    awready = (!stalls || rng.chance(70)) && (!fx.aw_after_w || k.wv || !w_early.empty());
    wready = !stalls || rng.chance(75);
}

// AXI4-Lite master: drop each valid/ready after its handshake; a response no request asked
// for (a slave that repeats one, or answers out of nowhere) is a violation
void Harness::lite_sample(const LitePort &l)
{
    if (l.rvalid && !l_r)
        fail("s_axi_control R: RVALID with no read outstanding");
    if (l.bvalid && !l_b)
        fail("s_axi_control B: BVALID with no write outstanding");
    if (l_aw && l.awready)
        l_aw = false;
    if (l_w && l.wready)
        l_w = false;
    if (l_b && l.bvalid)
        l_b = false;
    if (l_ar && l.arready)
        l_ar = false;
    if (l_r && l.rvalid) {
        l_rdata = l.rdata;
        l_r = false;
    }
}

int Harness::reg_write(uint32_t a, uint32_t v)
{
    l_waddr = a;
    l_wdata = v;
    l_aw = l_w = l_b = true;
    for (int i = 0; i < 1000 && (l_aw || l_w || l_b); i++)
        tick();
    return (l_aw || l_w || l_b) ? fail("s_axi_control: write of 0x%x not answered", a), -1 : 0;
}

int Harness::reg_read(uint32_t a, uint32_t *v)
{
    l_raddr = a;
    l_ar = l_r = true;
    for (int i = 0; i < 1000 && (l_ar || l_r); i++)
        tick();
    *v = l_rdata;
    return (l_ar || l_r) ? fail("s_axi_control: read of 0x%x not answered", a), -1 : 0;
}

int Harness::reset()
{
    rst_n = false;
    for (int i = 0; i < 4; i++)
        tick();
    rst_n = true;
    tick();
    tick();
    // interrupts as XRT enables them: ap_done through GIE and IER
    return reg_write(LP_REG_GIE, 1) || reg_write(LP_REG_IER, 1) ? -1 : 0;
}

void Harness::begin_call()
{
    err.clear();
    bufs.clear();
    ar_n[0] = ar_n[1] = aw_n = 0;
    rec_times.clear();
}

int Harness::call(const uint64_t ptr[4], const uint32_t scal[3], uint64_t beats, uint64_t *t0, uint64_t *tdone)
{
    // arguments, then ap_start; poll ap_done as XRT does (the interrupt gives the exact cycle)
    for (int i = 0; i < LP_SGD_NARGS; i++) {
        const lp_sgd_arg_t *a = &lp_sgd_args[i];
        if (a->is_pointer) {
            if (reg_write(a->offset, (uint32_t)ptr[i]) || reg_write(a->offset + 4, (uint32_t)(ptr[i] >> 32)))
                return -1;
        } else if (reg_write(a->offset, scal[i - 4])) {
            return -1;
        }
    }
    if (reg_write(LP_REG_CTRL, LP_CTRL_START))
        return -1;
    isr_at = fx.isr_write_cycle ? t + fx.isr_write_cycle : 0;
    *t0 = t;
    *tdone = 0;
    uint64_t guard = t + 200000 + 400 * beats;
    uint32_t ctrl = 0;
    while (!(ctrl & LP_CTRL_DONE)) {
        for (int i = 0; i < 16; i++) {
            tick();
            if (!*tdone && interrupt())
                *tdone = t;
        }
        if (reg_read(LP_REG_CTRL, &ctrl))
            return -1;
        if (!err.empty())
            return -1;
        if (t > guard) {
            fail("the kernel did not finish (no ap_done after %llu cycles)", (unsigned long long)(t - *t0));
            return -1;
        }
    }
    if (!*tdone)
        *tdone = t;
    return finish_call();
}

// after ap_done: fx's ISR write, the interrupt and the status register
int Harness::finish_call()
{
    for (int i = 0; i < 1000 && (l_aw || l_w || l_b); i++) // fx's ISR write, if still going
        tick();
    isr_at = 0;
    // the done event must be in ISR (IER enables it) until the host acknowledges it
    uint32_t isr = 0, ier = 0, status = 0;
    if (reg_read(LP_REG_ISR, &isr) || reg_read(LP_REG_IER, &ier))
        return -1;
    if ((ier & 1) && !(isr & 1)) {
        fail("ap_done without ISR bit 0 (IER 0x%x, ISR 0x%x): the kernel lost the done interrupt", ier, isr);
        return -1;
    }
    if ((isr & 1) && reg_write(LP_REG_ISR, 1)) // acknowledge the interrupt
        return -1;
    if (reg_read(LP_REG_STATUS, &status))
        return -1;
    if (status) { // the caller's buffers keep their contents: nothing of this call is usable
        char msg[400];
        fail("%s", lp_sgd_status_msg(status, msg, sizeof msg));
        return -1;
    }
    return err.empty() ? 0 : -1;
}

} // namespace lpk
