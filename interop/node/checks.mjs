// The PASS/FAIL lines that the Java interop tests read from every scenario script, and the count
// behind the script's exit status.
let failures = 0;

export function check(name, ok, why) {
  if (ok) {
    console.log(`PASS ${name}`);
  } else {
    failures++;
    console.log(`FAIL ${name}: ${why}`);
  }
}

export function failed() {
  return failures;
}
