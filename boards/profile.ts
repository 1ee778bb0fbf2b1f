// The shape of a board profile (boards/<id>.json); boards/schema.json is generated from this file.
// Conventions for boards/generate-schema.ts: every exported interface and type alias becomes a
// definition; JSDoc text becomes "description"; @minimum/@maximum/@pattern tags become keywords;
// `Integer` is emitted as JSON Schema "integer".

/** A whole number (JSON Schema "integer"). */
export type Integer = number;

/**
 * A pin as wired, Klipper style: the board's pin name with optional modifiers in front.
 * `^` = enable the internal pull-up, `!` = inverted (active low). Examples: "B3", "!B3", "^A5", "^!A5".
 * @pattern ^(\^!?|!\^?)?[A-Z]+[0-9]+$
 */
export type Pin = string;

/** A pin the firmware drives (STEP, DIR, ENABLE, LED, valve, I2C): must not be an input-only pin. @pattern ^(\^!?|!\^?)?[A-Z]+[0-9]+$ */
export type OutputPin = string;

/** A pin read with analogRead(): must be ADC-capable on the board's chip. @pattern ^(\^!?|!\^?)?[A-Z]+[0-9]+$ */
export type AnalogPin = string;

/** A bare pin name of the board's chip, without modifiers, e.g. "A11". @pattern ^[A-Z]+[0-9]+$ */
export type PinName = string;

/** A pin the board itself uses (USB, crystal, on-board radio): the rig must not be wired to it. */
export interface ReservedPin {
  /** The pin. */
  pin: PinName;
  /** What the board uses it for. */
  use: string;
}

/** Interpreter that runs the firmware bundle on the board. */
export type Runtime = "espruino" | "nodemcu";

/** Microcontroller part; its pin table lives in boards/pins.ts ("linux" = Espruino built for a PC). */
export type Chip = "STM32F401CDU6" | "STM32F103RCT6" | "STM32F411CEU6" | "ESP32" | "linux";

/** Stepper driver chip on a pump; its pulse timing lives in boards/drivers.ts. */
export type DriverName = "A4988" | "DRV8825" | "TMC2209";

/** Espruino's name for a hardware UART object. */
export type SerialPort = "Serial1" | "Serial2" | "Serial3" | "Serial4" | "Serial5" | "Serial6";

/** The protocol runs over the board's native USB; the firmware moves the REPL console to LoopbackA. */
export interface UsbLink {
  kind: "usb";
}

/** The protocol runs over a hardware UART (e.g. a USB-serial bridge); the console is moved away from it. */
export interface UartLink {
  kind: "uart";
  /** UART object the firmware opens with `setup(baud, {rx, tx})`. */
  port: SerialPort;
  /** Line rate in bits per second. @minimum 1200 @maximum 2000000 */
  baud: Integer;
  /** Pin receiving bytes from the host. */
  rx: Pin;
  /** Pin sending bytes to the host. */
  tx: OutputPin;
}

/** Espruino's Linux build: `Serial1.setup(baud, {path})` opens a tty (stdin treats 0x04 as exit). */
export interface SerialPathLink {
  kind: "serial-path";
  /** UART object the firmware opens. */
  port: SerialPort;
  /** Path of the tty or pty the host connects to, e.g. "/tmp/flowrig-link" (a socat pty link). */
  path: string;
  /** Line rate in bits per second (ignored by a pty). @minimum 1200 @maximum 2000000 */
  baud: Integer;
}

/** How the protocol reaches the host. */
export type Link = UsbLink | UartLink | SerialPathLink;

/** One syringe pump: a STEP/DIR driver and two endstop switches on the syringe axis. */
export interface PumpWiring {
  /** Driver STEP input: one microstep per rising edge. */
  step: OutputPin;
  /** Driver DIR input: level selects infuse or withdraw. */
  dir: OutputPin;
  /** Driver ENABLE input; all supported drivers are active low, so write it inverted ("!B5"). */
  enable: OutputPin;
  /** Driver chip, for its pulse timing (boards/drivers.ts). */
  driver: DriverName;
  /** Switch at the plunger's empty end (fully infused); triggered = logical 1 after modifiers. */
  minEndstop: Pin;
  /** Switch at the plunger's full end (fully withdrawn); triggered = logical 1 after modifiers. */
  maxEndstop: Pin;
  /** TMC2209 DIAG output (stall detection), if wired. */
  diag?: Pin;
}

/** The PL sensor: a photodiode amplifier read by the ADC and the excitation LED it is synchronised with. */
export interface SensorWiring {
  /** Photodiode amplifier output (e.g. OPT101) on an ADC pin. */
  photodiode: AnalogPin;
  /** Excitation LED driver (365 nm), switched on/off for lock-in detection. */
  led: OutputPin;
  /** Transmitted-LED photodiode for an absorbance channel, if fitted. */
  absorbance?: AnalogPin;
}

/** The four front-panel buttons; pressed = logical 1 after modifiers (e.g. "^!A0" for a switch to GND). */
export interface ButtonWiring {
  up: Pin;
  down: Pin;
  select: Pin;
  back: Pin;
}

/** The status display: an SSD1306 OLED on a hardware I2C bus. */
export interface DisplayWiring {
  kind: "SSD1306";
  /** Hardware I2C bus the firmware sets up. */
  bus: "I2C1";
  /** I2C clock pin; must be an SCL pin of the bus on this chip. */
  scl: OutputPin;
  /** I2C data pin; must be an SDA pin of the bus on this chip. */
  sda: OutputPin;
  /** 7-bit I2C address (60 = 0x3C, 61 = 0x3D). @minimum 8 @maximum 119 */
  address: Integer;
  /** Width in pixels. @minimum 1 @maximum 256 */
  width: Integer;
  /** Height in pixels. @minimum 1 @maximum 128 */
  height: Integer;
}

/** Worst-case and usual delay between a JS timer's due time and its callback running. */
export interface CallbackLatency {
  /** Usual delay in microseconds. @minimum 0 */
  typical: Integer;
  /** Longest delay to plan for (garbage collection, radio, OS scheduling), in microseconds. @minimum 0 */
  max: Integer;
}

/** A board the flowrig firmware runs on: what it is and how the rig is wired to it. Id = file name. */
export interface BoardProfile {
  /** Path of the generated schema, for editors. */
  $schema: "./schema.json";
  /** Human name of the board. */
  name: string;
  /** Interpreter that runs the firmware. */
  runtime: Runtime;
  /** Microcontroller part, selects the pin table. */
  chip: Chip;
  /** JS variable pool of the firmware build (about 13-16 bytes each); 0 = grows on demand (Linux build). @minimum 0 */
  variables: Integer;
  /** Flash available to require("Storage") in bytes (firmware bundle + logs). @minimum 0 */
  flashStorageBytes: Integer;
  /** Resolution of the utility timer that times digitalPulse/Stepper, in nanoseconds. @minimum 1 */
  timerTickNs: Integer;
  /** Size of the utility-timer ring (UTILTIMERTASK_TASKS); one slot always stays empty, so one less can be pending (digitalPulse toggles and other timed tasks). @minimum 2 */
  pulseQueueLength: Integer;
  /**
   * Whether the utility timer runs its tasks: false on Espruino's Linux build, whose jshUtilTimerStart is an empty stub
   * (read in targets/linux/jshardware.c, 2v29), so digitalPulse queues pulses that never happen and blocks, then throws
   * "Timeout on Utility Timer", once the ring is full. The PWM step output then ends trains from JS, without a tail.
   */
  utilityTimer: boolean;
  /** Whether the build has Espruino's built-in `Stepper` class (ESPR_USE_STEPPER_TIMER). */
  hasStepper: boolean;
  /** How late JS timer callbacks run, in microseconds (estimates, see boards/README.md). */
  callbackLatencyUs: CallbackLatency;
  /** ADC resolution in bits; 0 = no ADC (analogRead prints an error and reads 0). @minimum 0 @maximum 24 */
  adcBits: Integer;
  /** Whether E.enableWatchdog() arms a hardware watchdog. */
  hasWatchdog: boolean;
  /** How the protocol reaches the host. */
  link: Link;
  /** Pump A (index 0, precursor) and pump B (index 1, antisolvent). */
  pumps: [PumpWiring, PumpWiring];
  /** PL sensor wiring. */
  sensor: SensorWiring;
  /** Front-panel buttons. */
  buttons: ButtonWiring;
  /** Status display. */
  display: DisplayWiring;
  /** Switching valves for push-pull refill (valve 1, valve 2); high = energised after modifiers. */
  valves: [OutputPin, OutputPin];
  /** Pins the board itself uses; wiring the rig to one is an error. */
  reservedPins: ReservedPin[];
  /** Caveats a person wiring or flashing this board should know. */
  notes?: string[];
}

/** Pulse timing of a STEP/DIR driver chip (datasheet minimums). */
export interface DriverTiming {
  /** Minimum STEP high time in nanoseconds. */
  stepHighMinNs: Integer;
  /** Minimum STEP low time in nanoseconds. */
  stepLowMinNs: Integer;
  /** Minimum DIR setup time before a STEP rising edge, in nanoseconds. */
  dirSetupMinNs: Integer;
  /** Minimum DIR hold time after a STEP rising edge, in nanoseconds. */
  dirHoldMinNs: Integer;
  /** Delay after leaving sleep / power-up before STEP is accepted, in microseconds (0 = immediate). */
  wakeUs: Integer;
  /** Whether the ENABLE input is active low (then the profile's enable pin should carry "!"). */
  enableActiveLow: boolean;
  /** Lowest STEP rate for smooth motion in Hz (TMC2209 interpolation needs about 12 Hz), 0 = no limit. */
  minSmoothStepHz: Integer;
  /** Whether the driver has a stall/diagnostic output (DIAG). */
  hasDiag: boolean;
  /** Where the figures come from and caveats. */
  note: string;
}
