const DIGITS = '零一二三四五六七八九';

/**
 * How a ticket number is read aloud: the letter as a letter, then each digit on its own —
 * "A001" → "A零零一" — so nobody hears "one" for "001" or "a hundred" for "100".
 */
export function spokenNumber(displayNumber: string): string {
  return displayNumber.replace(/\d/g, (d) => DIGITS[Number(d)]!);
}

/** The hall's template with the number and window filled in. */
export function announcementText(template: string, displayNumber: string, windowNumber: string): string {
  return template.replaceAll('{number}', spokenNumber(displayNumber)).replaceAll('{window}', windowNumber);
}
