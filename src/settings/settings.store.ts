/** Small named values the server keeps about itself (e.g. when it was bootstrapped). */
export interface SettingsStore {
  findSetting(name: string): Promise<string | undefined>
  /** Sets the value only if the name is unset; answers whether it did. */
  initSetting(name: string, value: string): Promise<boolean>
}
