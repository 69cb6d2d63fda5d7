/**
 * Built-in year data: one module per calendar year, holding the government's decisions for that year.
 * To add or correct a year, see ../README.md.
 */
import type { CalendarYearData } from '../types.js';
import { YEAR_2023 } from './2023.js';
import { YEAR_2024 } from './2024.js';
import { YEAR_2025 } from './2025.js';
import { YEAR_2026 } from './2026.js';
import { YEAR_2027 } from './2027.js';

export { YEAR_2023, YEAR_2024, YEAR_2025, YEAR_2026, YEAR_2027 };

export const BUILT_IN_YEAR_DATA: readonly CalendarYearData[] = [YEAR_2023, YEAR_2024, YEAR_2025, YEAR_2026, YEAR_2027];
