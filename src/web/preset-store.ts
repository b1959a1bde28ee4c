/**
 * The listener's own preset files, kept in this browser (IndexedDB) as the
 * text they were opened from, so they are listed again after a reload. Each
 * is checked again when read back, exactly as when it was opened. Storage may
 * be refused (private windows): the presets then last for the visit only.
 */

const DB_NAME = "reverie";
const STORE = "presets";

export interface StoredPreset {
  /** The id the page gave it (a built-in id gets its own, see App.openPresetFile). */
  id: string;
  /** The file's name, for messages. */
  name: string;
  text: string;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("the preset store is blocked"));
  });
}

async function run<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = act(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

/** Every preset kept, or none when storage cannot be read. */
export async function storedPresets(): Promise<StoredPreset[]> {
  if (typeof indexedDB === "undefined") return [];
  try {
    return (await run("readonly", (store) => store.getAll())) as StoredPreset[];
  } catch {
    return [];
  }
}

/** Keeps a preset; returns whether it was kept. */
export async function storePreset(preset: StoredPreset): Promise<boolean> {
  if (typeof indexedDB === "undefined") return false;
  try {
    await run("readwrite", (store) => store.put(preset));
    return true;
  } catch {
    return false;
  }
}
