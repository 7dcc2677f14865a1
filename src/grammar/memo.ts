/**
 * What the faces work out once per piece of the IR (a field, a field list, a type): `make` runs on the
 * first call for a key, later calls get its result; the IR is never changed after it is built.
 */
export function perKey<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const made = new WeakMap<K, V>();
  return (key) => {
    let v = made.get(key);
    if (v === undefined) made.set(key, (v = make(key)));
    return v;
  };
}
