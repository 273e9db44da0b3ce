/** Lower-cases a DNS name and drops trailing dots, so `Em1.Example.com.` and `em1.example.com` compare equal. */
export function normalizeDnsName(name: string): string {
  return name.trim().toLowerCase().replace(/\.+$/, '');
}

/** Whether two DNS names are the same, ignoring case and trailing dots. */
export function sameDnsName(a: string, b: string): boolean {
  return normalizeDnsName(a) === normalizeDnsName(b);
}
