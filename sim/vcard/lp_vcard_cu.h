// lp_vcard_cu.h - one compute unit of the virtual card: the Verilated SystemC models of the
// kernel top (verilator --sc, one per Classes build of sim/vcard/vcard.mk: a run clocks the
// smallest with Classes >= its K, the others stay idle), each on its own sc_signals, and the
// AXI4 <-> TLM-2.0
// and AXI4-Lite bridges. The bridges are the shared kernel harness (sim/kernel/lp_kharness.h:
// the AXI slaves with every protocol check, the AXI4-Lite master, the call sequence, as the
// plain Verilator harness runs them) with a memory made of TLM-2.0 transactions: each burst
// booked in its channel when its address is accepted (the channel's latency and bandwidth
// delay its data or response by whole cycles), each beat's bytes moved through DMI in the
// cycle it is transferred.
#ifndef LP_VCARD_CU_H
#define LP_VCARD_CU_H

#include <memory>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "lp_kharness.h"

namespace vcard {

struct Pins; // a model's sc_signals (lp_vcard_cu.cpp)

// one verilated build of the kernel top on its own pins (lp_vcard_cu.cpp makes them)
struct Model {
    uint32_t classes = 0; // its Classes parameter
    bool was_reset = false;
    virtual ~Model() = default;
    virtual Pins &pins() = 0;
    virtual void final() = 0;
};

struct Cu : sc_core::sc_module, lpk::Harness, lpk::Mem {
    tlm_utils::simple_initiator_socket<Cu> gmem0, gmem1; // the kernel's two m_axi ports
    sc_core::sc_time period, half0, half1;
    std::vector<std::unique_ptr<Model>> models; // every build, Classes ascending
    Model *act = nullptr;                        // the one clocked now
    std::vector<tlm::tlm_dmi> dmi;

    // the run handed over by the host (lp_vcard.cpp)
    uint64_t args[7] = {};
    std::vector<lpk::Buffer> run_bufs;
    bool ready = false, pending = false, running = false, waited = false;
    int rc = 0, plant = 0, planted = 0;
    uint64_t starts = 0, runs = 0, cycles = 0, last_cycles = 0;
    sc_core::sc_event go;

    Cu(sc_core::sc_module_name n, double mhz);
    ~Cu() override;
    void thread();
    void run();
    void finish(); // the models' final()
    uint32_t max_classes() const { return models.back()->classes; }

    void tick() override;
    bool interrupt() const override;
    void read(uint64_t addr, void *dst64) override;
    void write(uint64_t addr, const uint8_t *src64, uint64_t strb) override;
    uint64_t burst(int port, uint64_t addr, unsigned beats, unsigned *resp) override;

  private:
    int select(uint32_t k);
    void drive();
    void sample();
};

} // namespace vcard

#endif
