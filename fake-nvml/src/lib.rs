//! A scripted stand-in for `libnvidia-ml.so.1`.
//!
//! It exports the NVML entry points that ipw-bench's NVML sensor calls through
//! `nvml-wrapper`, with the real C signatures and return codes, so that the whole path
//! (dlopen, symbol lookup, error mapping, discovery, sampling) runs in CI without a GPU.
//! The devices and their power follow the script in `IPW_FAKE_NVML_SCRIPT`
//! (see the `script` module); it is read when NVML is initialised and the process holds no other
//! initialisation, and that moment counts as "driver load". Every symbol that
//! `nvml-wrapper` may look up and this library lacks simply fails that one call with
//! `FailedToLoadSymbol`, as with an old driver.
//!
//! Symbols of its own let a workload in the same process (which finds them with `dlopen`
//! on the same library) play the GPU: [`fake_nvml_set_load_watts`] sets the true load of
//! every `power=driven:..` device and [`fake_nvml_pulse_watts`] runs a "kernel" of exact
//! length on them, [`fake_nvml_true_joules`] is the exact integral of a device's true
//! load, and [`fake_nvml_seconds`] is the script's clock.

mod script;

use script::{Gpu, Power, Script};
use std::ffi::{c_char, c_double, c_uint, c_ulonglong, c_void, CStr};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

type Return = c_uint;
type Device = *mut c_void;

const SUCCESS: Return = 0;
const ERROR_UNINITIALIZED: Return = 1;
const ERROR_INVALID_ARGUMENT: Return = 2;
const ERROR_NOT_SUPPORTED: Return = 3;
const ERROR_NOT_FOUND: Return = 6;
const ERROR_INSUFFICIENT_SIZE: Return = 7;
const ERROR_DRIVER_NOT_LOADED: Return = 9;
const ERROR_GPU_IS_LOST: Return = 15;

const TEMPERATURE_GPU: c_uint = 0;
const CLOCK_SM: c_uint = 1;

struct Loaded {
    script: Script,
    loaded_at: Instant,
    users: u32,
}

static STATE: Mutex<Option<Loaded>> = Mutex::new(None);

fn state() -> MutexGuard<'static, Option<Loaded>> {
    STATE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn init() -> Return {
    let mut guard = state();
    if let Some(loaded) = guard.as_mut() {
        loaded.users += 1;
        return SUCCESS;
    }
    match script::from_env() {
        Ok(script) => {
            *guard = Some(Loaded {
                script,
                loaded_at: Instant::now(),
                users: 1,
            });
            SUCCESS
        }
        Err(message) => {
            // The caller only sees a code; the reason helps whoever wrote the script.
            eprintln!("ipw-fake-nvml: {message}");
            ERROR_DRIVER_NOT_LOADED
        }
    }
}

/// Run `f` on the device behind a handle, at the current script time.
fn with_gpu(device: Device, f: impl FnOnce(&Gpu, f64) -> Return) -> Return {
    let guard = state();
    let Some(loaded) = guard.as_ref() else {
        return ERROR_UNINITIALIZED;
    };
    // Handles are 1-based indices so that none is null.
    let index = device as usize;
    let Some(gpu) = index.checked_sub(1).and_then(|i| loaded.script.gpus.get(i)) else {
        return ERROR_INVALID_ARGUMENT;
    };
    let t = loaded.loaded_at.elapsed().as_secs_f64();
    if gpu.lost(t) {
        return ERROR_GPU_IS_LOST;
    }
    f(gpu, t)
}

fn handle(index: usize) -> Device {
    (index + 1) as Device
}

/// Store `value` through an out-pointer supplied by the caller.
///
/// # Safety
/// `out` must be null or valid for a write of `T`.
unsafe fn put<T>(out: *mut T, value: T) -> Return {
    if out.is_null() {
        return ERROR_INVALID_ARGUMENT;
    }
    // SAFETY: non-null, and valid for writes by this function's contract.
    unsafe { out.write(value) };
    SUCCESS
}

/// Copy `text` and its terminating NUL into a caller buffer of `length` bytes.
///
/// # Safety
/// `buffer` must be null or valid for writes of `length` bytes.
unsafe fn put_str(buffer: *mut c_char, length: c_uint, text: &str) -> Return {
    if buffer.is_null() {
        return ERROR_INVALID_ARGUMENT;
    }
    if text.len() + 1 > length as usize {
        return ERROR_INSUFFICIENT_SIZE;
    }
    // SAFETY: `buffer` holds `length` >= text.len() + 1 bytes, and a fresh Rust string
    // cannot overlap memory the caller handed in.
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr().cast::<c_char>(), buffer, text.len());
        buffer.add(text.len()).write(0);
    }
    SUCCESS
}

#[no_mangle]
pub extern "C" fn nvmlInit_v2() -> Return {
    init()
}

#[no_mangle]
pub extern "C" fn nvmlInitWithFlags(_flags: c_uint) -> Return {
    init()
}

#[no_mangle]
pub extern "C" fn nvmlShutdown() -> Return {
    let mut guard = state();
    match guard.as_mut() {
        None => ERROR_UNINITIALIZED,
        Some(loaded) => {
            loaded.users -= 1;
            if loaded.users == 0 {
                *guard = None;
            }
            SUCCESS
        }
    }
}

#[no_mangle]
pub extern "C" fn nvmlErrorString(result: Return) -> *const c_char {
    let text: &'static CStr = match result {
        SUCCESS => c"Success",
        ERROR_UNINITIALIZED => c"Uninitialized",
        ERROR_INVALID_ARGUMENT => c"Invalid Argument",
        ERROR_NOT_SUPPORTED => c"Not Supported",
        ERROR_NOT_FOUND => c"Not Found",
        ERROR_INSUFFICIENT_SIZE => c"Insufficient Size",
        ERROR_DRIVER_NOT_LOADED => c"Driver Not Loaded",
        ERROR_GPU_IS_LOST => c"GPU is lost",
        _ => c"Unknown Error",
    };
    text.as_ptr()
}

/// # Safety
/// `version` must be null or valid for writes of `length` bytes.
#[no_mangle]
pub unsafe extern "C" fn nvmlSystemGetDriverVersion(
    version: *mut c_char,
    length: c_uint,
) -> Return {
    let guard = state();
    let Some(loaded) = guard.as_ref() else {
        return ERROR_UNINITIALIZED;
    };
    // SAFETY: forwarded from this function's contract.
    unsafe { put_str(version, length, &loaded.script.driver) }
}

/// # Safety
/// `count` must be null or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetCount_v2(count: *mut c_uint) -> Return {
    let guard = state();
    let Some(loaded) = guard.as_ref() else {
        return ERROR_UNINITIALIZED;
    };
    // SAFETY: forwarded from this function's contract.
    unsafe { put(count, loaded.script.gpus.len() as c_uint) }
}

/// # Safety
/// `device` must be null or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetHandleByIndex_v2(
    index: c_uint,
    device: *mut Device,
) -> Return {
    let code = with_gpu(handle(index as usize), |_, _| SUCCESS);
    if code != SUCCESS {
        return code;
    }
    // SAFETY: forwarded from this function's contract.
    unsafe { put(device, handle(index as usize)) }
}

/// # Safety
/// `uuid` must be null or a NUL-terminated string; `device` null or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetHandleByUUID(
    uuid: *const c_char,
    device: *mut Device,
) -> Return {
    if uuid.is_null() {
        return ERROR_INVALID_ARGUMENT;
    }
    // SAFETY: non-null and NUL-terminated by this function's contract.
    let wanted = unsafe { CStr::from_ptr(uuid) }.to_string_lossy();
    let index = {
        let guard = state();
        let Some(loaded) = guard.as_ref() else {
            return ERROR_UNINITIALIZED;
        };
        match loaded.script.gpus.iter().position(|g| g.uuid == wanted) {
            Some(i) => i,
            None => return ERROR_NOT_FOUND,
        }
    };
    let code = with_gpu(handle(index), |_, _| SUCCESS);
    if code != SUCCESS {
        return code;
    }
    // SAFETY: forwarded from this function's contract.
    unsafe { put(device, handle(index)) }
}

/// # Safety
/// `name` must be null or valid for writes of `length` bytes.
#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetName(
    device: Device,
    name: *mut c_char,
    length: c_uint,
) -> Return {
    // SAFETY: forwarded from this function's contract.
    with_gpu(device, |gpu, _| unsafe { put_str(name, length, &gpu.name) })
}

/// # Safety
/// `uuid` must be null or valid for writes of `length` bytes.
#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetUUID(
    device: Device,
    uuid: *mut c_char,
    length: c_uint,
) -> Return {
    // SAFETY: forwarded from this function's contract.
    with_gpu(device, |gpu, _| unsafe { put_str(uuid, length, &gpu.uuid) })
}

/// # Safety
/// `energy` must be null or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetTotalEnergyConsumption(
    device: Device,
    energy: *mut c_ulonglong,
) -> Return {
    with_gpu(device, |gpu, t| {
        if !gpu.energy_counter {
            return ERROR_NOT_SUPPORTED;
        }
        // SAFETY: forwarded from this function's contract.
        unsafe { put(energy, gpu.energy_mj(t)) }
    })
}

/// # Safety
/// `power` must be null or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetPowerUsage(device: Device, power: *mut c_uint) -> Return {
    // SAFETY: forwarded from this function's contract.
    with_gpu(device, |gpu, t| unsafe { put(power, gpu.power_mw(t)) })
}

/// # Safety
/// `limit` must be null or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetPowerManagementLimit(
    device: Device,
    limit: *mut c_uint,
) -> Return {
    // SAFETY: forwarded from this function's contract.
    with_gpu(device, |gpu, _| unsafe { put(limit, gpu.limit_w * 1000) })
}

/// # Safety
/// `limit` must be null or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetEnforcedPowerLimit(
    device: Device,
    limit: *mut c_uint,
) -> Return {
    // SAFETY: forwarded from this function's contract.
    with_gpu(device, |gpu, _| unsafe { put(limit, gpu.limit_w * 1000) })
}

/// # Safety
/// `temp` must be null or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetTemperature(
    device: Device,
    sensor: c_uint,
    temp: *mut c_uint,
) -> Return {
    with_gpu(device, |gpu, _| match (sensor, gpu.temp_c) {
        // SAFETY: forwarded from this function's contract.
        (TEMPERATURE_GPU, Some(c)) => unsafe { put(temp, c) },
        (TEMPERATURE_GPU, None) => ERROR_NOT_SUPPORTED,
        _ => ERROR_INVALID_ARGUMENT,
    })
}

/// # Safety
/// `clock` must be null or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn nvmlDeviceGetClockInfo(
    device: Device,
    kind: c_uint,
    clock: *mut c_uint,
) -> Return {
    with_gpu(device, |gpu, _| match (kind, gpu.sm_clock_mhz) {
        // SAFETY: forwarded from this function's contract.
        (CLOCK_SM, Some(mhz)) => unsafe { put(clock, mhz) },
        _ => ERROR_NOT_SUPPORTED,
    })
}

/// Set the true load, in watts, of every device whose power is `driven`, from now on.
/// Returns NOT_SUPPORTED when no device is driven, UNINITIALIZED before `nvmlInit`.
#[no_mangle]
pub extern "C" fn fake_nvml_set_load_watts(watts: c_double) -> Return {
    drive(watts, f64::INFINITY)
}

/// Run a kernel on every `driven` device: `watts` from now for `seconds`, then the load
/// it interrupted. Its length is exact however late the caller runs next.
#[no_mangle]
pub extern "C" fn fake_nvml_pulse_watts(watts: c_double, seconds: c_double) -> Return {
    if seconds.is_nan() || seconds < 0.0 {
        return ERROR_INVALID_ARGUMENT;
    }
    drive(watts, seconds)
}

fn drive(watts: f64, seconds: f64) -> Return {
    let mut guard = state();
    let Some(loaded) = guard.as_mut() else {
        return ERROR_UNINITIALIZED;
    };
    if !watts.is_finite() || watts < 0.0 {
        return ERROR_INVALID_ARGUMENT;
    }
    let t = loaded.loaded_at.elapsed().as_secs_f64();
    let mut driven = 0;
    for gpu in &mut loaded.script.gpus {
        if let Power::Driven(d) = &mut gpu.power {
            if seconds.is_finite() {
                d.pulse(t, watts, seconds);
            } else {
                d.set(t, watts);
            }
            driven += 1;
        }
    }
    if driven == 0 {
        ERROR_NOT_SUPPORTED
    } else {
        SUCCESS
    }
}

/// The exact energy of device `index`'s true load since driver load, in joules (the
/// truth that its readings approximate); NaN for no such device or before `nvmlInit`.
#[no_mangle]
pub extern "C" fn fake_nvml_true_joules(index: c_uint) -> c_double {
    let guard = state();
    let Some(loaded) = guard.as_ref() else {
        return f64::NAN;
    };
    let t = loaded.loaded_at.elapsed().as_secs_f64();
    loaded
        .script
        .gpus
        .get(index as usize)
        .map_or(f64::NAN, |gpu| gpu.power.joules(t))
}

/// Seconds since driver load on the script's clock; NaN before `nvmlInit`.
#[no_mangle]
pub extern "C" fn fake_nvml_seconds() -> c_double {
    state()
        .as_ref()
        .map_or(f64::NAN, |loaded| loaded.loaded_at.elapsed().as_secs_f64())
}
