// A recording stand-in for the 'electron' module, for booting electron/shell/main.ts in a unit test.
// The real package would look for (or download) the Electron binary; this one records what main.ts asks.

type Listener = (...args: unknown[]) => void;

export class FakeEmitter {
  // Public only because a class returned from createFakeElectron may not carry private members (TS4094).
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

export class FakeWebContents extends FakeEmitter {
  readonly id: number;
  readonly mainFrame = { url: 'app://kiosk/index.html', processId: 3, routingId: 1, parent: null };
  windowOpenHandler: ((details: { url: string }) => unknown) | null = null;
  constructor(id: number) {
    super();
    this.id = id;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => unknown) {
    this.windowOpenHandler = handler;
  }
  closeDevTools() {}
  forcefullyCrashRenderer() {}
  async printToPDF() {
    return Buffer.from('%PDF');
  }
}

type BeforeRequest = (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void;

export function createFakeElectron() {
  const order: string[] = [];
  const windows: FakeWindow[] = [];

  class FakeWindow extends FakeEmitter {
    readonly options: Record<string, unknown>;
    readonly webContents: FakeWebContents;
    readonly loaded: string[] = [];
    visible = false;
    destroyed = false;
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      this.webContents = new FakeWebContents(windows.length + 1);
      windows.push(this);
    }
    async loadURL(url: string) {
      this.loaded.push(url);
    }
    isDestroyed() {
      return this.destroyed;
    }
    isVisible() {
      return this.visible;
    }
    isMinimized() {
      return false;
    }
    show() {
      this.visible = true;
    }
    focus() {}
    restore() {}
    destroy() {
      this.destroyed = true;
    }
  }

  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const paths: Record<string, string> = {};
  const app = Object.assign(new FakeEmitter(), {
    isPackaged: true,
    appPath: '',
    quitCalls: 0,
    enableSandbox: () => order.push('enableSandbox'),
    setPath: (name: string, value: string) => {
      paths[name] = value;
    },
    getPath: (name: string) => paths[name] ?? '',
    getAppPath: () => app.appPath,
    requestSingleInstanceLock: () => {
      order.push('requestSingleInstanceLock');
      return true;
    },
    whenReady: () => {
      order.push('whenReady');
      return ready;
    },
    quit: () => {
      app.quitCalls += 1;
    },
    exit: () => {},
  });

  const session = Object.assign(new FakeEmitter(), {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the assertion sets a generic's inferred type, which the rule reads as the receiver's
    permissionRequest: null as unknown,
    beforeRequest: null as BeforeRequest | null,
    setPermissionRequestHandler: (handler: unknown) => {
      session.permissionRequest = handler;
    },
    setPermissionCheckHandler: () => {},
    setDevicePermissionHandler: () => {},
    webRequest: {
      onBeforeRequest: (listener: BeforeRequest) => {
        session.beforeRequest = listener;
      },
    },
  });

  return {
    order,
    windows,
    app,
    session,
    markReady,
    FakeWindow,
    handled: new Map<string, (event: unknown, input: unknown) => Promise<unknown>>(),
    protocols: new Map<string, (request: Request) => Promise<Response>>(),
    menu: [] as unknown[],
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

/** The module object main.ts imports as 'electron', built on the recording fake. */
export function electronModule(fake: FakeElectron) {
  return {
    app: fake.app,
    BrowserWindow: fake.FakeWindow,
    Menu: { setApplicationMenu: (menu: unknown) => fake.menu.push(menu) },
    ipcMain: {
      handle: (channel: string, listener: (event: unknown, input: unknown) => Promise<unknown>) =>
        fake.handled.set(channel, listener),
      removeHandler: (channel: string) => fake.handled.delete(channel),
    },
    protocol: {
      registerSchemesAsPrivileged: () => fake.order.push('registerSchemesAsPrivileged'),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => fake.protocols.set(scheme, handler),
    },
    // No keychain, as on a Linux station without a keyring: the engine's key file is used.
    safeStorage: {
      isEncryptionAvailable: () => false,
      getSelectedStorageBackend: () => 'basic_text',
      encryptString: () => Buffer.alloc(0),
      decryptString: () => '',
    },
    session: { defaultSession: fake.session },
  };
}

/**
 * main.ts installs process-wide error handlers for the kiosk's sake; the returned function
 * removes them again so the test worker reports its own errors.
 */
export function keepProcessListeners(): () => void {
  const before = new Set<unknown>([...process.listeners('uncaughtException'), ...process.listeners('unhandledRejection')]);
  return () => {
    for (const listener of process.listeners('uncaughtException')) {
      if (!before.has(listener)) process.removeListener('uncaughtException', listener);
    }
    for (const listener of process.listeners('unhandledRejection')) {
      if (!before.has(listener)) process.removeListener('unhandledRejection', listener);
    }
  };
}

/** Collects main.ts's JSON log lines (written to stderr) instead of printing them. */
export function captureShellLog(spyOnConsoleError: (capture: (line: unknown) => void) => void): Record<string, unknown>[] {
  const logged: Record<string, unknown>[] = [];
  spyOnConsoleError((line) => {
    if (typeof line === 'string' && line.startsWith('{')) logged.push(JSON.parse(line) as Record<string, unknown>);
  });
  return logged;
}
