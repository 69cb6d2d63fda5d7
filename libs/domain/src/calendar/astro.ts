/**
 * The astronomy behind the lunar calendar: civil day numbers, the instants of new moons, and the Sun's
 * apparent longitude. Formulas follow Jean Meeus, "Astronomical Algorithms" (2nd ed.):
 *  - ch. 49 (phases of the Moon) for the new-moon instant, with all periodic and planetary terms
 *    (accurate to well under a minute for centuries around 2000);
 *  - ch. 25 (solar coordinates, "low accuracy" method) for the Sun's apparent longitude (about 0.01°,
 *    i.e. a quarter of an hour in the time of a solar term);
 *  - Espenak & Meeus polynomials for ΔT = TT − UT.
 * Pure arithmetic only: no Date, no I/O, deterministic everywhere.
 */

const RAD = Math.PI / 180;

function sinDeg(deg: number): number {
  return Math.sin(deg * RAD);
}

/** Reduces an angle in degrees to [0, 360). */
export function normDeg(deg: number): number {
  const r = deg % 360;
  return r < 0 ? r + 360 : r;
}

// ------------------------------------------------------------------------------------------ civil days

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (negative before 1970). Integer arithmetic on
 * 400-year eras (March-based years so the leap day is the last day of the year).
 */
export function epochDayOf(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400; // [0, 399]
  const mp = (m + 9) % 12; // March = 0 … February = 11
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1; // [0, 365]
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy; // [0, 146096]
  return era * 146097 + doe - 719468;
}

/** Inverse of {@link epochDayOf}. */
export function civilOfEpochDay(days: number): { y: number; m: number; d: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** Julian Day Number of the civil day 1970-01-01 (the JD at its noon). */
export const JDN_OF_EPOCH_DAY_0 = 2440588;

// ------------------------------------------------------------------------------------------------ ΔT

/** ΔT = TT − UT in seconds for a (decimal) year; Espenak & Meeus polynomial fits, long-term parabola outside. */
export function deltaTSeconds(year: number): number {
  const y = year;
  if (y >= 2050 && y < 2150) return -20 + 32 * ((y - 1820) / 100) ** 2 - 0.5628 * (2150 - y);
  if (y >= 2005 && y < 2050) {
    const t = y - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t * t;
  }
  if (y >= 1986 && y < 2005) {
    const t = y - 2000;
    return 63.86 + 0.3345 * t - 0.060374 * t ** 2 + 0.0017275 * t ** 3 + 0.000651814 * t ** 4 + 0.00002373599 * t ** 5;
  }
  if (y >= 1961 && y < 1986) {
    const t = y - 1975;
    return 45.45 + 1.067 * t - t ** 2 / 260 - t ** 3 / 718;
  }
  if (y >= 1941 && y < 1961) {
    const t = y - 1950;
    return 29.07 + 0.407 * t - t ** 2 / 233 + t ** 3 / 2547;
  }
  if (y >= 1920 && y < 1941) {
    const t = y - 1920;
    return 21.2 + 0.84493 * t - 0.0761 * t ** 2 + 0.0020936 * t ** 3;
  }
  if (y >= 1900 && y < 1920) {
    const t = y - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t ** 2 + 0.0061966 * t ** 3 - 0.000197 * t ** 4;
  }
  if (y >= 1860 && y < 1900) {
    const t = y - 1860;
    return 7.62 + 0.5737 * t - 0.251754 * t ** 2 + 0.01680668 * t ** 3 - 0.0004473624 * t ** 4 + t ** 5 / 233174;
  }
  return -20 + 32 * ((y - 1820) / 100) ** 2;
}

/** Approximate decimal year of a Julian Day (good enough to pick a ΔT). */
function decimalYearOfJd(jd: number): number {
  return 2000 + (jd - 2451545.0) / 365.25;
}

/** Converts a Julian Ephemeris Day (TT) to a Julian Day in UT. */
export function ttToUt(jde: number): number {
  return jde - deltaTSeconds(decimalYearOfJd(jde)) / 86400;
}

/** Converts a Julian Day in UT to a Julian Ephemeris Day (TT). */
export function utToTt(jd: number): number {
  return jd + deltaTSeconds(decimalYearOfJd(jd)) / 86400;
}

// ------------------------------------------------------------------------------------------ new moons

/**
 * Instant (JDE, Terrestrial Time) of new moon number `k`; k = 0 is the new moon of 2000-01-06,
 * k = 1 the next one, k = −1 the previous one (Meeus ch. 49).
 */
export function newMoonJde(k: number): number {
  const T = k / 1236.85; // Julian centuries from J2000.0
  const T2 = T * T;
  const T3 = T2 * T;
  const T4 = T3 * T;

  const mean = 2451550.09766 + 29.530588861 * k + 0.00015437 * T2 - 0.00000015 * T3 + 0.00000000073 * T4;

  const E = 1 - 0.002516 * T - 0.0000074 * T2; // eccentricity of the Earth's orbit
  const M = 2.5534 + 29.1053567 * k - 0.0000014 * T2 - 0.00000011 * T3; // Sun's mean anomaly
  const Mp = 201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 - 0.000000058 * T4; // Moon's mean anomaly
  const F = 160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 + 0.000000011 * T4; // Moon's argument of latitude
  const Om = 124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3; // longitude of the ascending node

  const periodic =
    -0.4072 * sinDeg(Mp) +
    0.17241 * E * sinDeg(M) +
    0.01608 * sinDeg(2 * Mp) +
    0.01039 * sinDeg(2 * F) +
    0.00739 * E * sinDeg(Mp - M) -
    0.00514 * E * sinDeg(Mp + M) +
    0.00208 * E * E * sinDeg(2 * M) -
    0.00111 * sinDeg(Mp - 2 * F) -
    0.00057 * sinDeg(Mp + 2 * F) +
    0.00056 * E * sinDeg(2 * Mp + M) -
    0.00042 * sinDeg(3 * Mp) +
    0.00042 * E * sinDeg(M + 2 * F) +
    0.00038 * E * sinDeg(M - 2 * F) -
    0.00024 * E * sinDeg(2 * Mp - M) -
    0.00017 * sinDeg(Om) -
    0.00007 * sinDeg(Mp + 2 * M) +
    0.00004 * sinDeg(2 * Mp - 2 * F) +
    0.00004 * sinDeg(3 * M) +
    0.00003 * sinDeg(Mp + M - 2 * F) +
    0.00003 * sinDeg(2 * Mp + 2 * F) -
    0.00003 * sinDeg(Mp + M + 2 * F) +
    0.00003 * sinDeg(Mp - M + 2 * F) -
    0.00002 * sinDeg(Mp - M - 2 * F) -
    0.00002 * sinDeg(3 * Mp + M) +
    0.00002 * sinDeg(4 * Mp);

  // Planetary arguments and their (small) additional corrections.
  const planetary: ReadonlyArray<readonly [number, number, number]> = [
    // [amplitude in days, argument at k = 0 (deg), rate per lunation (deg)]
    [0.000325, 299.77, 0.107408],
    [0.000165, 251.88, 0.016321],
    [0.000164, 251.83, 26.651886],
    [0.000126, 349.42, 36.412478],
    [0.00011, 84.66, 18.206239],
    [0.000062, 141.74, 53.303771],
    [0.00006, 207.14, 2.453732],
    [0.000056, 154.84, 7.30686],
    [0.000047, 34.52, 27.261239],
    [0.000042, 207.19, 0.121824],
    [0.00004, 291.34, 1.844379],
    [0.000037, 161.72, 24.198154],
    [0.000035, 239.56, 25.513099],
    [0.000023, 331.55, 3.592518],
  ];
  let additional = 0;
  for (let i = 0; i < planetary.length; i++) {
    const [amp, a0, rate] = planetary[i]!;
    // A1 also has a small quadratic term.
    const arg = a0 + rate * k + (i === 0 ? -0.009173 * T2 : 0);
    additional += amp * sinDeg(arg);
  }

  return mean + periodic + additional;
}

/** The mean synodic month in days. */
export const SYNODIC_MONTH = 29.530588861;
/** JDE of the mean new moon k = 0. */
export const NEW_MOON_EPOCH_JDE = 2451550.09766;

// ------------------------------------------------------------------------------------------------- Sun

/** The Sun's apparent geocentric longitude in degrees [0, 360) at a Julian Ephemeris Day (Meeus ch. 25). */
export function sunApparentLongitude(jde: number): number {
  const T = (jde - 2451545.0) / 36525;
  const T2 = T * T;
  const L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T2; // geometric mean longitude
  const M = 357.52911 + 35999.05029 * T - 0.0001537 * T2; // mean anomaly
  const C =
    (1.914602 - 0.004817 * T - 0.000014 * T2) * sinDeg(M) +
    (0.019993 - 0.000101 * T) * sinDeg(2 * M) +
    0.000289 * sinDeg(3 * M); // equation of the centre
  const trueLongitude = L0 + C;
  const omega = 125.04 - 1934.136 * T;
  // Aberration and nutation in longitude, to first order.
  return normDeg(trueLongitude - 0.00569 - 0.00478 * sinDeg(omega));
}
