// N-API bindings: the SimDevice class over SimBackend, PcieDevice over PcieBackend. Validates every argument
// from JavaScript and turns backend errors into JavaScript exceptions; holds no policy.
#include <napi.h>

#include <cmath>
#include <memory>
#include <vector>

#include "pcie_backend.h"
#include "sim_backend.h"
#include "tickgate_layout.h"

namespace {

using tickgate::DeviceError;
using tickgate::EventBatch;
using tickgate::PcieBackend;
using tickgate::PcieOptions;
using tickgate::SimBackend;
using tickgate::SimOptions;

constexpr uint64_t kMaxStepCycles = 1ull << 32;

template <typename F>
auto guard(Napi::Env env, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
}

uint32_t toUint32(const Napi::Value& v, const char* what) {
  if (!v.IsNumber()) throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d < 0 || d > 4294967295.0 || std::floor(d) != d) {
    throw Napi::RangeError::New(v.Env(), std::string(what) + " must be an integer from 0 to 2^32-1");
  }
  return static_cast<uint32_t>(d);
}

Napi::Buffer<uint8_t> batchRecords(Napi::Env env, const EventBatch& b) {
  return Napi::Buffer<uint8_t>::Copy(env, b.records.data(), b.records.size());
}

Napi::Buffer<uint8_t> batchCycles(Napi::Env env, const EventBatch& b) {
  auto buf = Napi::Buffer<uint8_t>::New(env, b.egressCycle.size() * 8);
  for (size_t i = 0; i < b.egressCycle.size(); i++) {
    for (size_t k = 0; k < 8; k++) buf.Data()[8 * i + k] = uint8_t(b.egressCycle[i] >> (8 * k));
  }
  return buf;
}

Napi::Buffer<uint8_t> batchOrderOut(Napi::Env env, const EventBatch& b) {
  return Napi::Buffer<uint8_t>::Copy(env, b.orderOut.data(), b.orderOut.size());
}

Napi::Buffer<uint8_t> batchOrderEnds(Napi::Env env, const EventBatch& b) {
  auto buf = Napi::Buffer<uint8_t>::New(env, b.orderEnds.size() * 4);
  for (size_t i = 0; i < b.orderEnds.size(); i++) {
    for (size_t k = 0; k < 4; k++) buf.Data()[4 * i + k] = uint8_t(b.orderEnds[i] >> (8 * k));
  }
  return buf;
}

// Runs on the JavaScript thread for each batch the clock thread posted. A typed thread-safe function calls it
// for every queued batch, also with no env when the function is torn down with batches still queued (the
// untyped one's wrapper drops those without calling back, and the batches leaked), so each is freed here.
void deliverBatch(Napi::Env env, Napi::Function cb, std::nullptr_t*, EventBatch* b) {
  std::unique_ptr<EventBatch> owned(b);
  if (env == nullptr || cb.IsEmpty()) return;
  cb.Call({batchRecords(env, *b), batchCycles(env, *b), Napi::Number::New(env, double(b->ingressQueued)),
           Napi::Boolean::New(env, b->idle), Napi::Number::New(env, double(b->sendSerial)),
           batchOrderOut(env, *b), batchOrderEnds(env, *b),
           b->error.empty() ? env.Undefined() : Napi::String::New(env, b->error)});
}

using EventsFunction = Napi::TypedThreadSafeFunction<std::nullptr_t, EventBatch, deliverBatch>;

// ---- the methods every device class has, over any backend -------------------------------------------------

Napi::Value resetDevice(tickgate::Backend& b, const Napi::CallbackInfo& info) {
  uint32_t cycles = info.Length() > 0 && !info[0].IsUndefined() ? toUint32(info[0], "reset cycles") : 4;
  if (cycles == 0 || cycles > 1000000) throw Napi::RangeError::New(info.Env(), "reset cycles must be 1 to 1000000");
  guard(info.Env(), [&] { b.reset(cycles); });
  return info.Env().Undefined();
}

Napi::Value readReg(tickgate::Backend& b, const Napi::CallbackInfo& info) {
  uint32_t addr = toUint32(info[0], "register address");
  uint32_t v = guard(info.Env(), [&] { return b.readReg(addr); });
  return Napi::Number::New(info.Env(), v);
}

Napi::Value writeReg(tickgate::Backend& b, const Napi::CallbackInfo& info) {
  uint32_t addr = toUint32(info[0], "register address");
  uint32_t value = toUint32(info[1], "register value");
  guard(info.Env(), [&] { b.writeReg(addr, value); });
  return info.Env().Undefined();
}

// The (bytes, last) arguments of sendFix and sendOrders, checked; `call` names the method in errors.
std::pair<Napi::Uint8Array, bool> bytesAndLast(const Napi::CallbackInfo& info, const char* call) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(env, std::string(call) + "(bytes, last): bytes must be a Buffer or Uint8Array");
  }
  if (info.Length() > 1 && !info[1].IsUndefined() && !info[1].IsBoolean()) {
    throw Napi::TypeError::New(env, std::string(call) + "(bytes, last): last must be a boolean");
  }
  return {info[0].As<Napi::Uint8Array>(), info.Length() > 1 && info[1].IsBoolean() && info[1].As<Napi::Boolean>().Value()};
}

Napi::Value sendFix(tickgate::Backend& b, const Napi::CallbackInfo& info) {
  const auto [bytes, last] = bytesAndLast(info, "sendFix");
  guard(info.Env(), [&] { b.sendFix(bytes.Data(), bytes.ByteLength(), last); });
  return info.Env().Undefined();
}

Napi::Value sendFeed(tickgate::Backend& b, const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(env, "sendFeed(packet): packet must be a Buffer or Uint8Array");
  }
  auto bytes = info[0].As<Napi::Uint8Array>();
  if (bytes.ByteLength() > 65535) throw Napi::RangeError::New(env, "sendFeed(packet): a UDP payload is at most 65535 bytes");
  guard(env, [&] { b.sendFeed(bytes.Data(), bytes.ByteLength()); });
  return env.Undefined();
}

Napi::Value sendOrders(tickgate::Backend& b, const Napi::CallbackInfo& info) {
  const auto [bytes, last] = bytesAndLast(info, "sendOrders");
  guard(info.Env(), [&] { b.sendOrders(bytes.Data(), bytes.ByteLength(), last); });
  return info.Env().Undefined();
}

// Starts `backend`'s event delivery into `onEvents` on the JavaScript thread; returns the function to abort.
EventsFunction startEvents(Napi::Env env, tickgate::Backend& backend, Napi::Function onEvents) {
  EventsFunction events = EventsFunction::New(env, onEvents, "tickgate-events", 16, 1);
  EventsFunction tsfn = events;
  guard(env, [&] {
    backend.startEvents([tsfn](EventBatch&& batch) mutable {
      auto* data = new EventBatch(std::move(batch));
      if (tsfn.BlockingCall(data) != napi_ok) delete data;  // closing: the batch is dropped with the device
    });
  });
  return events;
}

// What SimDevice and PcieDevice share: the backend they own, its event function, the methods every device
// has, and shutting both down (also from the destructor when JavaScript never called close()).
template <typename Derived, typename BackendT>
class DeviceWrap : public Napi::ObjectWrap<Derived> {
 public:
  using Wrap = Napi::ObjectWrap<Derived>;
  explicit DeviceWrap(const Napi::CallbackInfo& info) : Wrap(info) {}
  ~DeviceWrap() override { shutdown(); }

 protected:
  // the common methods and the class's own, for DefineClass
  static std::vector<typename Wrap::PropertyDescriptor> methods(std::vector<typename Wrap::PropertyDescriptor> own) {
    std::vector<typename Wrap::PropertyDescriptor> all = {
        Wrap::InstanceMethod("reset", &DeviceWrap::Reset),
        Wrap::InstanceMethod("readReg", &DeviceWrap::ReadReg),
        Wrap::InstanceMethod("writeReg", &DeviceWrap::WriteReg),
        Wrap::InstanceMethod("sendFix", &DeviceWrap::SendFix),
        Wrap::InstanceMethod("sendFeed", &DeviceWrap::SendFeed),
        Wrap::InstanceMethod("sendOrders", &DeviceWrap::SendOrders),
        Wrap::InstanceMethod("ingressQueued", &DeviceWrap::IngressQueued),
        Wrap::InstanceMethod("requestIdle", &DeviceWrap::RequestIdle),
        Wrap::InstanceMethod("close", &DeviceWrap::Close),
    };
    all.insert(all.end(), own.begin(), own.end());
    return all;
  }

  BackendT& backend(Napi::Env env) {
    if (!backend_) throw Napi::Error::New(env, "device is closed");
    return *backend_;
  }

  void shutdown() {
    if (events_) {
      events_.Abort();  // wakes a backend thread blocked on a full queue
      events_ = EventsFunction();
    }
    if (backend_) {
      backend_->close();
      backend_.reset();
    }
  }

  Napi::Value Reset(const Napi::CallbackInfo& info) { return resetDevice(backend(info.Env()), info); }
  Napi::Value ReadReg(const Napi::CallbackInfo& info) { return readReg(backend(info.Env()), info); }
  Napi::Value WriteReg(const Napi::CallbackInfo& info) { return writeReg(backend(info.Env()), info); }
  Napi::Value SendFix(const Napi::CallbackInfo& info) { return sendFix(backend(info.Env()), info); }
  Napi::Value SendFeed(const Napi::CallbackInfo& info) { return sendFeed(backend(info.Env()), info); }
  Napi::Value SendOrders(const Napi::CallbackInfo& info) { return sendOrders(backend(info.Env()), info); }
  Napi::Value IngressQueued(const Napi::CallbackInfo& info) {
    size_t q = guard(info.Env(), [&] { return backend(info.Env()).ingressQueued(); });
    return Napi::Number::New(info.Env(), double(q));
  }
  Napi::Value RequestIdle(const Napi::CallbackInfo& info) {
    guard(info.Env(), [&] { backend(info.Env()).requestIdle(); });
    return info.Env().Undefined();
  }
  Napi::Value Close(const Napi::CallbackInfo& info) {
    shutdown();
    return info.Env().Undefined();
  }

  std::unique_ptr<BackendT> backend_;
  EventsFunction events_;
};

class SimDevice : public DeviceWrap<SimDevice, SimBackend> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "SimDevice",
                       methods({
                           InstanceMethod<&SimDevice::SetOrderEgressReady>("setOrderEgressReady"),
                           InstanceMethod<&SimDevice::SetIngressValid>("setIngressValid"),
                           InstanceMethod<&SimDevice::Step>("step"),
                           InstanceMethod<&SimDevice::SetEgressReady>("setEgressReady"),
                           InstanceMethod<&SimDevice::SetHostReady>("setHostReady"),
                           InstanceMethod<&SimDevice::Cycles>("cycles"),
                           InstanceMethod<&SimDevice::HostWaits>("hostWaits"),
                       }));
  }

  // new SimDevice({ trace?, egressReadyProbability?, seed?, batchCycles?, onEvents? })
  // With onEvents the device clocks itself on a native thread and calls
  // onEvents(records: Buffer, egressCycles: Buffer, ingressQueued: number, idle: boolean, sendSerial: number,
  //          orderOut: Buffer, orderEnds: Buffer) on the JavaScript thread;
  // without it the device only advances in step().
  explicit SimDevice(const Napi::CallbackInfo& info) : DeviceWrap(info) {
    Napi::Env env = info.Env();
    SimOptions opts;
    Napi::Function onEvents;
    if (info.Length() > 0 && !info[0].IsUndefined()) {
      if (!info[0].IsObject()) throw Napi::TypeError::New(env, "SimDevice options must be an object");
      Napi::Object o = info[0].As<Napi::Object>();
      if (o.Has("trace") && !o.Get("trace").IsUndefined()) {
        if (!o.Get("trace").IsString()) throw Napi::TypeError::New(env, "trace must be a file path string");
        opts.tracePath = o.Get("trace").As<Napi::String>().Utf8Value();
      }
      if (o.Has("egressReadyProbability") && !o.Get("egressReadyProbability").IsUndefined()) {
        Napi::Value p = o.Get("egressReadyProbability");
        if (!p.IsNumber()) throw Napi::TypeError::New(env, "egressReadyProbability must be a number");
        opts.egressReadyProbability = p.As<Napi::Number>().DoubleValue();
      }
      if (o.Has("seed") && !o.Get("seed").IsUndefined()) opts.seed = toUint32(o.Get("seed"), "seed");
      if (o.Has("batchCycles") && !o.Get("batchCycles").IsUndefined()) {
        opts.batchCycles = toUint32(o.Get("batchCycles"), "batchCycles");
      }
      if (o.Has("onEvents") && !o.Get("onEvents").IsUndefined()) {
        if (!o.Get("onEvents").IsFunction()) throw Napi::TypeError::New(env, "onEvents must be a function");
        onEvents = o.Get("onEvents").As<Napi::Function>();
      }
    }
    backend_ = guard(env, [&] { return std::make_unique<SimBackend>(opts); });
    if (!onEvents.IsEmpty()) events_ = startEvents(env, *backend_, onEvents);
  }

 private:
  Napi::Value SetOrderEgressReady(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "setOrderEgressReady(probability, seed): probability must be a number");
    double p = info[0].As<Napi::Number>().DoubleValue();
    uint32_t seed = info.Length() > 1 && !info[1].IsUndefined() ? toUint32(info[1], "seed") : 1;
    guard(env, [&] { backend(env).setOrderEgressReady(p, seed); });
    return env.Undefined();
  }

  Napi::Value Step(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "step(cycles): cycles must be a number");
    double d = info[0].As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d) || d < 0 || std::floor(d) != d || d > double(kMaxStepCycles)) {
      throw Napi::RangeError::New(env, "step(cycles): cycles must be an integer from 0 to 2^32");
    }
    EventBatch b = guard(env, [&] { return backend(env).step(uint64_t(d)); });
    Napi::Object out = Napi::Object::New(env);
    out.Set("records", batchRecords(env, b));
    out.Set("egressCycles", batchCycles(env, b));
    out.Set("ingressQueued", Napi::Number::New(env, double(b.ingressQueued)));
    out.Set("orderOut", batchOrderOut(env, b));
    out.Set("orderEnds", batchOrderEnds(env, b));
    return out;
  }

  Napi::Value SetEgressReady(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "setEgressReady(probability, seed): probability must be a number");
    double p = info[0].As<Napi::Number>().DoubleValue();
    uint32_t seed = info.Length() > 1 && !info[1].IsUndefined() ? toUint32(info[1], "seed") : 1;
    guard(env, [&] { backend(env).setEgressReady(p, seed); });
    return env.Undefined();
  }

  Napi::Value SetIngressValid(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "setIngressValid(probability, seed): probability must be a number");
    double p = info[0].As<Napi::Number>().DoubleValue();
    uint32_t seed = info.Length() > 1 && !info[1].IsUndefined() ? toUint32(info[1], "seed") : 1;
    guard(env, [&] { backend(env).setIngressValid(p, seed); });
    return env.Undefined();
  }

  Napi::Value SetHostReady(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsBoolean()) throw Napi::TypeError::New(env, "setHostReady(ready): ready must be a boolean");
    bool ready = info[0].As<Napi::Boolean>().Value();
    guard(env, [&] { backend(env).setHostReady(ready); });
    return env.Undefined();
  }

  Napi::Value Cycles(const Napi::CallbackInfo& info) {
    uint64_t c = guard(info.Env(), [&] { return backend(info.Env()).cycles(); });
    return Napi::BigInt::New(info.Env(), c);
  }

  // { count, maxNs, buckets }: how long calls waited for the model (bucket k: [2^k, 2^(k+1)) ns)
  Napi::Value HostWaits(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    SimBackend::HostWaits w = guard(env, [&] { return backend(env).hostWaits(); });
    Napi::Object out = Napi::Object::New(env);
    out.Set("count", Napi::Number::New(env, double(w.count)));
    out.Set("maxNs", Napi::Number::New(env, double(w.maxNs)));
    Napi::Array buckets = Napi::Array::New(env, w.buckets.size());
    for (size_t k = 0; k < w.buckets.size(); k++) buckets.Set(uint32_t(k), Napi::Number::New(env, double(w.buckets[k])));
    out.Set("buckets", buckets);
    return out;
  }
};

// new PcieDevice({ device: "/dev/xdma0", timeoutMs?, onEvents }): a card through the xdma driver's device files
// (or the emulator's). Throws when the device is missing or is not a tickgate card. onEvents as SimDevice's,
// with an eighth argument: a message when the device failed (the batch is then the last).
class PcieDevice : public DeviceWrap<PcieDevice, PcieBackend> {
 public:
  static Napi::Function Init(Napi::Env env) { return DefineClass(env, "PcieDevice", methods({})); }

  explicit PcieDevice(const Napi::CallbackInfo& info) : DeviceWrap(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsObject()) throw Napi::TypeError::New(env, "PcieDevice options must be an object");
    Napi::Object o = info[0].As<Napi::Object>();
    PcieOptions opts;
    if (!o.Get("device").IsString()) throw Napi::TypeError::New(env, "device must be the device files' prefix, e.g. /dev/xdma0");
    opts.prefix = o.Get("device").As<Napi::String>().Utf8Value();
    if (o.Has("timeoutMs") && !o.Get("timeoutMs").IsUndefined()) opts.timeoutMs = toUint32(o.Get("timeoutMs"), "timeoutMs");
    if (!o.Get("onEvents").IsFunction()) throw Napi::TypeError::New(env, "onEvents must be a function");
    backend_ = guard(env, [&] { return std::make_unique<PcieBackend>(opts); });
    events_ = startEvents(env, *backend_, o.Get("onEvents").As<Napi::Function>());
  }
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("SimDevice", SimDevice::Init(env));
  exports.Set("PcieDevice", PcieDevice::Init(env));
  exports.Set("recordBytes", Napi::Number::New(env, double(tickgate::layout::RECORD_BYTES)));
  return exports;
}

}  // namespace

NODE_API_MODULE(tickgate, Init)
