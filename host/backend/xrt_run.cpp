// xrt_run.cpp - kernel runs through XRT's C++ API, for the C backend (xrt_run.h).
#include "xrt_run.h"

#include <chrono>
#include <cstdio>
#include <exception>
#include <future>
#include <memory>
#include <thread>

#include <xrt/xrt_bo.h>
#include <xrt/xrt_device.h>
#include <xrt/xrt_kernel.h>

struct lp_xrun {
    xrt::kernel kernel;
    xrt::run run;
};

static int fail(const std::exception &e, char *msg, size_t msgsize)
{
    std::snprintf(msg, msgsize, "%s", e.what());
    return -1;
}

extern "C" lp_xrun_t *lp_xrun_open(void *xcl, const unsigned char *uuid, const char *name, char *msg, size_t msgsize)
{
    try {
        // exclusive, as xrt.c opens it: XRT reads the status register only on an exclusive CU
        xrt::kernel k(xrt::device(static_cast<xclDeviceHandle>(xcl)), xrt::uuid(uuid), name,
                      xrt::kernel::cu_access_mode::exclusive);
        return new lp_xrun{k, xrt::run(k)};
    } catch (const std::exception &e) {
        fail(e, msg, msgsize);
        return nullptr;
    }
}

extern "C" int lp_xrun_start(lp_xrun_t *r, void *const *bufs, unsigned nbufs, const uint32_t *scalars,
                             unsigned nscalars, char *msg, size_t msgsize)
{
    try {
        for (unsigned i = 0; i < nbufs; i++) {
            xrt::bo bo(static_cast<xrtBufferHandle>(bufs[i]));
            r->run.set_arg(static_cast<int>(i), bo);
        }
        for (unsigned i = 0; i < nscalars; i++)
            r->run.set_arg(static_cast<int>(nbufs + i), scalars[i]);
        r->run.start();
        return 0;
    } catch (const std::exception &e) {
        return fail(e, msg, msgsize);
    }
}

extern "C" int lp_xrun_wait(lp_xrun_t *r, unsigned ms, char *msg, size_t msgsize)
{
    try {
        return static_cast<int>(r->run.wait(std::chrono::milliseconds(ms)));
    } catch (const std::exception &e) {
        return fail(e, msg, msgsize);
    }
}

// XRT's abort waits until the run has left the card; on a CU that cannot be reset that may
// be never, so it runs on a thread of its own (holding its own reference to the run) and
// the backend waits for it a bounded time.
extern "C" int lp_xrun_abort(lp_xrun_t *r, unsigned ms, char *msg, size_t msgsize)
{
    auto done = std::make_shared<std::promise<int>>();
    std::future<int> state = done->get_future();
    auto what = std::make_shared<std::string>();
    try {
        std::thread([run = r->run, done, what]() mutable {
            try {
                done->set_value(static_cast<int>(run.abort()));
            } catch (const std::exception &e) {
                *what = e.what();
                done->set_value(LP_XRUN_ABORT_FAILED);
            }
        }).detach();
    } catch (const std::exception &e) {
        return fail(e, msg, msgsize);
    }
    if (state.wait_for(std::chrono::milliseconds(ms)) != std::future_status::ready)
        return LP_XRUN_ABORT_PENDING;
    int s = state.get();
    if (s == LP_XRUN_ABORT_FAILED)
        std::snprintf(msg, msgsize, "%s", what->c_str());
    return s;
}

extern "C" void lp_xrun_close(lp_xrun_t *r) { delete r; }
